import { Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { Readable } from 'node:stream';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { readAhead } from '../../../libs/bulk-transfer/read-ahead';
import { AttemptSupersededError } from '../../../libs/queue/fenced-attempt';
import { fileRecords, FileRecord, MalformedFileError } from '../../../libs/bulk-transfer/record-stream';
import { TenantConnectionProvider } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { boundTenantOf } from '../../../libs/tenancy/tenant-placement';
import { BulkImportLedger, ImportAttempt, ImportProgress } from '../../control-plane/bulk-imports/bulk-import-ledger';
import { ImportRow } from '../../control-plane/bulk-imports/bulk-import-records';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import { HttpErrorFilter } from '../../platform/errors/http-error.filter';
import { hostileJsonRecordProblem } from '../../platform/hostile-input/hostile-json-record';
import { RequestContext } from '../../platform/request-context/request-context';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { CheckedRow, ImportRowCheck, RowError } from './import-row-check';
import { MappedRecordsWriter } from './mapped-records-writer';
import { OwnImport, OwnRecordsWriter } from './own-records-writer';
import { TRANSFER_ENTITY, TransferEntityName } from './transfer-entities';

/**
 * Rows checked and written together: one transaction each in skip_invalid mode. Each batch pays a
 * lookup of existing records by key; while a table fills up faster than PostgreSQL refreshes its
 * statistics, that lookup reads all of the tenant's rows, so fewer, larger batches read them less
 * often (BENCHMARKS.md, bench:import).
 */
const BATCH_ROWS = 5000;
/** Rows checked between two turns of the event loop (a millisecond or two of work). */
const ROWS_PER_SLICE = 64;

interface Batch {
  rows: CheckedRow[];
  errors: RowError[];
  read: number;
  /** The last row of the file the batch covers. */
  lastRow: number;
}

/** The import's rows failed in all_or_nothing mode: its transaction rolls back. */
class ImportRolledBack extends Error {}

/**
 * Runs one attempt of an import job: reads the stored file as a stream, checks every row, writes
 * the valid ones in batches and records progress and row errors in the control plane. Each
 * progress write is fenced (FencedAttempt), so an attempt that was superseded records nothing more.
 * Rows are matched by their external key, so writing a batch again changes nothing: a skip_invalid
 * attempt resumes after the last batch whose progress committed; an all_or_nothing one (one
 * transaction, nothing committed before its end) starts over.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);
  private readonly answers = new HttpErrorFilter();

  constructor(
    private readonly ledger: BulkImportLedger,
    private readonly directory: TenantDirectoryCache,
    private readonly cls: ClsService,
    private readonly tenantContext: TenantContext,
    private readonly requestContext: RequestContext,
    private readonly tenantData: TenantConnectionProvider,
    private readonly customFields: CustomFieldsService,
    private readonly settings: CurrentTenantSettings,
    private readonly own: OwnRecordsWriter,
    private readonly mapped: MappedRecordsWriter,
  ) {}

  /** `lastAttempt`: the queue will not retry this one, so a failure it cannot get past ends the import `failed`. */
  async run(importId: string, signal: AbortSignal, lastAttempt: boolean): Promise<void> {
    const attempt = await this.ledger.claim(importId, signal);
    if (!attempt) return;
    const tenant = await this.directory.find(attempt.job.tenantId);
    if (!tenant || tenant.status !== 'active') {
      await attempt.finish({ status: 'failed', failure: 'The tenant is not active' });
      return;
    }
    await this.cls.run(async () => {
      this.tenantContext.set(boundTenantOf(tenant));
      // The data audit names whoever started the import.
      if (attempt.job.requestedBy) this.requestContext.setActor({ userId: attempt.job.requestedBy, roles: [] });
      await this.execute(attempt, tenant.placement === 'byod', signal, lastAttempt);
    });
  }

  private async execute(attempt: ImportAttempt, mapped: boolean, signal: AbortSignal, lastAttempt: boolean): Promise<void> {
    const job: ImportRow = attempt.job;
    const entity = TRANSFER_ENTITY[job.entity as TransferEntityName];
    const definitions =
      !mapped && entity.customFields ? await this.tenantData.read((tx) => this.customFields.definitions(tx, entity.auditEntity)) : [];
    const currency = entity.name === 'inventory-items' ? ((await this.settings.currency()) ?? null) : null;
    const check = new ImportRowCheck(entity, job.externalKey, job.format === 'csv', definitions);
    const ownJob: OwnImport = { entity, externalKey: job.externalKey, definitions, currency };
    const resumeAfter = job.mode === 'skip_invalid' ? job.rowsDone : 0;
    const counters: ImportProgress =
      resumeAfter > 0
        ? { rowsRead: job.rowsRead, rowsWritten: job.rowsWritten, rowsFailed: job.rowsFailed, rowsDone: job.rowsDone }
        : { rowsRead: 0, rowsWritten: 0, rowsFailed: 0, rowsDone: 0 };
    const file = Readable.from(attempt.file());
    // A line the API would refuse as a request body (NUL, an unpaired surrogate, deep nesting) is a row error.
    const records = fileRecords(file, job.format, { jsonProblem: hostileJsonRecordProblem });
    const batches = readAhead(batchesOf(records, check, resumeAfter, signal));
    try {
      if (job.mode === 'all_or_nothing') {
        await this.tenantData.transaction(async (tx) => {
          let written = 0;
          for await (const batch of batches) {
            const result = await this.own.write(tx, ownJob, batch.rows);
            written += result.written;
            await this.saveProgress(attempt, counters, batch, { written: 0, errors: result.errors }, false);
          }
          if (counters.rowsFailed > 0) throw new ImportRolledBack();
          counters.rowsWritten = written;
        });
      } else {
        for await (const batch of batches) {
          const result = mapped
            ? await this.mapped.write(entity, job.externalKey, currency, batch.rows)
            : await this.tenantData.transaction((tx) => this.own.write(tx, ownJob, batch.rows));
          await this.saveProgress(attempt, counters, batch, result, true);
        }
      }
      await attempt.finish({ status: 'completed' }, counters);
    } catch (error) {
      if (error instanceof ImportRolledBack) {
        const failure = `${counters.rowsFailed} of ${counters.rowsRead} rows failed; nothing was written (all_or_nothing)`;
        await attempt.finish({ status: 'failed', failure }, { ...counters, rowsWritten: 0 });
      } else if (error instanceof MalformedFileError) {
        const failure = job.mode === 'all_or_nothing' ? `${error.message}; nothing was written (all_or_nothing)` : error.message;
        const written = job.mode === 'all_or_nothing' ? 0 : counters.rowsWritten;
        await attempt.finish({ status: 'failed', failure }, { ...counters, rowsWritten: written });
      } else {
        if (lastAttempt && !(error instanceof AttemptSupersededError)) await this.giveUp(attempt, counters, error);
        throw error;
      }
    } finally {
      // Read ahead of the parser, the stored file would go on being read (from a pool perhaps closing) once the attempt
      // stopped early: a failure, an abort, a shutdown.
      file.destroy();
    }
  }

  /**
   * The last attempt failed on something no row caused (the customer's system down, the database refusing the
   * batch): the import ends `failed` saying so, rather than staying `running` with no attempt left. The reason shown
   * is what the API would answer for the error (a byod source's, say); an unexpected one's detail is logged, not shown.
   */
  private async giveUp(attempt: ImportAttempt, counters: ImportProgress, error: unknown): Promise<void> {
    this.logger.error(`Import ${attempt.job.id} failed on its last attempt: ${error instanceof Error ? error.stack : String(error)}`);
    // What the API would answer for the error: an unexpected one is a bare "Internal server error", nothing of it shown.
    const reason = this.answers.toBody(error).message;
    const allOrNothing = attempt.job.mode === 'all_or_nothing';
    const failure = `The import stopped after its last attempt failed: ${reason}${allOrNothing ? '; nothing was written (all_or_nothing)' : ''}`;
    await attempt.finish({ status: 'failed', failure }, { ...counters, rowsWritten: allOrNothing ? 0 : counters.rowsWritten });
  }

  /** Adds the batch's outcome to the counters and records it, with its row errors; `checkpoint`: later attempts go on after it. */
  private async saveProgress(
    attempt: ImportAttempt,
    counters: ImportProgress,
    batch: Batch,
    result: { written: number; errors: RowError[] },
    checkpoint: boolean,
  ): Promise<void> {
    const errors = [...batch.errors, ...result.errors];
    counters.rowsRead += batch.read;
    counters.rowsWritten += result.written;
    counters.rowsFailed += new Set(errors.map((error) => error.row)).size;
    if (checkpoint) counters.rowsDone = batch.lastRow;
    await attempt.saveProgress(counters, errors);
  }
}

/**
 * The file's rows after `resumeAfter`, checked, in batches of at most BATCH_ROWS whose rows have
 * distinct external keys: a key seen again starts a new batch, so its second row changes what the
 * first one wrote, as if the rows had been sent one after the other.
 */
async function* batchesOf(
  records: AsyncIterable<FileRecord>,
  check: ImportRowCheck,
  resumeAfter: number,
  signal: AbortSignal,
): AsyncGenerator<Batch> {
  let batch: Batch = { rows: [], errors: [], read: 0, lastRow: resumeAfter };
  let keys = new Set<string>();
  let sinceYield = ROWS_PER_SLICE;
  for await (const record of records) {
    if (record.row <= resumeAfter) continue;
    if (++sinceYield >= ROWS_PER_SLICE) {
      sinceYield = 0;
      // Checking runs on promises that are already settled: without a turn of the event loop now and
      // then, it would hold back the replies of the batch being written until a whole batch is checked.
      await yieldToIo();
      signal.throwIfAborted();
    }
    const checked =
      'problem' in record
        ? [{ row: record.row, field: '', message: `Row ${record.row} ${record.problem}` }]
        : await check.check(record.row, record.fields);
    if (!Array.isArray(checked) && keys.has(checked.key)) {
      yield batch;
      batch = { rows: [], errors: [], read: 0, lastRow: batch.lastRow };
      keys = new Set();
    }
    if (Array.isArray(checked)) batch.errors.push(...checked);
    else {
      batch.rows.push(checked);
      keys.add(checked.key);
    }
    batch.read += 1;
    batch.lastRow = record.row;
    if (batch.read >= BATCH_ROWS) {
      yield batch;
      batch = { rows: [], errors: [], read: 0, lastRow: batch.lastRow };
      keys = new Set();
    }
  }
  if (batch.read > 0) yield batch;
}
