import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { TransactionalQuery } from '../../../libs/queue/job-queue';
import { AuditService } from '../audit/audit.service';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import {
  findImport,
  IMPORT_FENCE,
  importChunks,
  ImportRow,
  ImportRowError,
  rowErrorsAfter,
  rowErrorsValues,
  rowErrorsWrite,
} from './bulk-import-records';

export interface NewImport {
  tenantId: string;
  requestedBy: string | null;
  entity: string;
  format: 'csv' | 'ndjson';
  mode: 'all_or_nothing' | 'skip_invalid';
  externalKey: string;
}

/** How far an import got; `rowsDone`: the last row whose outcome is committed. */
export interface ImportProgress {
  rowsRead: number;
  rowsWritten: number;
  rowsFailed: number;
  rowsDone: number;
}

/**
 * The control plane's record of bulk imports: the import, its uploaded file (in chunks, as it
 * arrives), its progress and its per-row error report. Requests use the request connections;
 * the job's attempts use the workers' and are fenced, so a superseded attempt records nothing more.
 */
@Injectable()
export class BulkImportLedger {
  constructor(
    @InjectDataSource() private readonly requests: DataSource,
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly worker: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records the import with every chunk of its file, audited, and lets `sendJob` enqueue its job in
   * the same transaction: if reading the file fails (too large, refused), nothing is kept. Returns the id.
   */
  async record(
    input: NewImport,
    file: AsyncIterable<Buffer>,
    sendJob: (query: TransactionalQuery, importId: string) => Promise<void>,
  ): Promise<{ id: string; sizeBytes: number }> {
    return this.requests.transaction(async (manager) => {
      const [{ id }]: Array<{ id: string }> = await manager.query(
        `INSERT INTO bulk_imports (tenant_id, requested_by, entity, format, mode, external_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [input.tenantId, input.requestedBy, input.entity, input.format, input.mode, input.externalKey],
      );
      let seq = 0;
      let sizeBytes = 0;
      for await (const chunk of file) {
        await manager.query('INSERT INTO bulk_import_chunks (import_id, seq, data) VALUES ($1, $2, $3)', [id, seq, chunk]);
        seq += 1;
        sizeBytes += chunk.length;
      }
      await manager.query('UPDATE bulk_imports SET size_bytes = $2 WHERE id = $1', [id, sizeBytes]);
      await sendJob((text, values) => manager.query(text, values), id);
      const { tenantId, entity, format, mode, externalKey } = input;
      await this.audit.record(manager, {
        action: 'tenant.data_import',
        targetType: 'bulk_import',
        targetId: id,
        tenantId,
        changes: { entity, format, mode, externalKey, sizeBytes },
      });
      return { id, sizeBytes };
    });
  }

  /** The import, if it is `tenantId`'s. */
  find(id: string, tenantId: string): Promise<ImportRow | undefined> {
    return findImport(this.requests.manager, id, tenantId);
  }

  /** Up to `limit` row errors in row order, after the position `after` (row, field). */
  errorsAfter(id: string, after: readonly [number, string] | undefined, limit: number): Promise<ImportRowError[]> {
    return rowErrorsAfter(this.requests.manager, id, after, limit);
  }

  /** Starts an attempt of the import's job, superseding earlier ones; null when the import has ended. */
  async claim(id: string, signal: AbortSignal): Promise<ImportAttempt | null> {
    const fenced = await FencedAttempt.claim(this.worker, IMPORT_FENCE, id, signal);
    const job = fenced && (await findImport(this.worker.manager, id));
    return fenced && job ? new ImportAttempt(fenced, this.worker, job) : null;
  }

  /** A data export, in the control plane's audit log (the export changes nothing to audit in the tenant's data). */
  async recordExport(tenantId: string, changes: Record<string, unknown>): Promise<void> {
    await this.audit.record(this.requests.manager, {
      action: 'tenant.data_export',
      targetType: 'tenant',
      targetId: tenantId,
      tenantId,
      changes,
    });
  }
}

/** One attempt of an import job: reads the stored file and records progress while it owns the import. */
export class ImportAttempt {
  constructor(
    private readonly fenced: FencedAttempt,
    private readonly worker: DataSource,
    readonly job: ImportRow,
  ) {}

  /** The stored file, a chunk at a time. */
  file(): AsyncGenerator<Buffer> {
    return importChunks(this.worker.manager, this.job.id);
  }

  /** Records progress and row errors in one fenced statement: it is on the path of every batch. */
  async saveProgress(progress: ImportProgress, errors: ImportRowError[]): Promise<void> {
    await this.fenced.write(
      [
        `progress AS (UPDATE bulk_imports SET status = 'running', rows_read = $3::int, rows_written = $4::int, rows_failed = $5::int,
           rows_done = $6::int WHERE id IN (SELECT id FROM owned))`,
        rowErrorsWrite(7),
      ],
      [progress.rowsRead, progress.rowsWritten, progress.rowsFailed, progress.rowsDone, ...rowErrorsValues(errors)],
    );
  }

  /** Ends the import (completed, or failed with why), if this attempt still owns it. */
  async finish(outcome: { status: 'completed' | 'failed'; failure?: string }, progress?: ImportProgress): Promise<void> {
    const counters = progress
      ? { rows_read: progress.rowsRead, rows_written: progress.rowsWritten, rows_failed: progress.rowsFailed, rows_done: progress.rowsDone }
      : {};
    await this.fenced.transaction(
      (manager) =>
        FencedAttempt.end(manager, IMPORT_FENCE, this.job.id, {
          status: outcome.status,
          failure: outcome.failure ?? null,
          ...counters,
          finished_at: new Date(),
        }),
      { cancellable: false },
    );
  }
}
