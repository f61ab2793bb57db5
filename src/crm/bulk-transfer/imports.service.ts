import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  RequestTimeoutException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Readable } from 'node:stream';
import {
  NotUtf8UploadError,
  NulInUploadError,
  uploadChunks,
  UploadStalledError,
  UploadTooLargeError,
  UploadTooSlowError,
} from '../../../libs/bulk-transfer/upload-chunks';
import { cursorFields, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { BulkImportLedger } from '../../control-plane/bulk-imports/bulk-import-ledger';
import { ImportRow } from '../../control-plane/bulk-imports/bulk-import-records';
import { AppConfig } from '../../platform/config/app-config';
import { Page } from '../../platform/pagination/cursor-pagination';
import { RequestContext } from '../../platform/request-context/request-context';
import { ImportDto, ImportErrorsQueryDto, ImportRowErrorDto, StartImportQueryDto } from './dto/import.dto';
import { ImportQueue } from './import-queue';
import { MappedRecordsWriter } from './mapped-records-writer';
import { TransferAccess } from './transfer-access';
import { UploadSlots } from './upload-slots';
import { externalKeyProblem, TRANSFER_ENTITY, TransferEntityName } from './transfer-entities';

/** The file is stored in chunks of this size as it arrives. */
const CHUNK_BYTES = 256 * 1024;
/** An upload that sends nothing for this long is cut off (408): it holds a control-plane transaction open meanwhile. */
const UPLOAD_IDLE_MS = 30_000;

/**
 * Starts imports and tells how they went. The uploaded file is streamed into the control plane in
 * the same transaction that records the import and sends its job, so either all of it is stored
 * and the job will run, or nothing is kept. That transaction holds one of the process's request
 * connections for as long as the upload lasts: at most half of them carry uploads at once, one
 * tenant's at most half of those (UploadSlots), and a sender that stops sending, or sends too
 * slowly to finish within IMPORT_UPLOAD_TIMEOUT_SECONDS, is cut off.
 */
@Injectable()
export class ImportsService {
  private readonly maxBytes: number;
  private readonly uploadDeadlineMs: number;
  private readonly slots: UploadSlots;

  constructor(
    private readonly ledger: BulkImportLedger,
    private readonly queue: ImportQueue,
    private readonly tenants: TenantContext,
    private readonly request: RequestContext,
    private readonly access: TransferAccess,
    private readonly mapped: MappedRecordsWriter,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxBytes = config.get('imports.maxBytes', { infer: true });
    this.uploadDeadlineMs = config.get('imports.uploadTimeoutSeconds', { infer: true }) * 1000;
    this.slots = new UploadSlots(Math.max(1, Math.floor(config.get('database.poolSize', { infer: true }) / 2)));
  }

  async start(query: StartImportQueryDto, body: unknown, contentLength: number | undefined): Promise<ImportDto> {
    const entity = TRANSFER_ENTITY[query.entity];
    this.access.assertMay(entity, 'write');
    const tenant = this.tenants.require();
    const keyProblem =
      externalKeyProblem(entity, query.externalKey) ??
      (tenant.recordStore === 'mapped' ? await this.mapped.keyProblem(entity, query.externalKey) : undefined);
    if (keyProblem) {
      throw new BadRequestException({ message: `externalKey ${keyProblem}`, details: [{ field: 'externalKey', problems: [keyProblem] }] });
    }
    if (tenant.recordStore === 'mapped' && query.mode === 'all_or_nothing') {
      throw new ConflictException(
        "all_or_nothing needs one transaction over every row, which the tenant's own system does not offer: use skip_invalid",
      );
    }
    if (!(body instanceof Readable)) {
      throw new UnsupportedMediaTypeException('Send the file as the request body with content-type text/csv or application/x-ndjson');
    }
    if (contentLength !== undefined && contentLength > this.maxBytes) throw tooLarge(this.maxBytes);
    const release = this.slots.take(tenant.id);
    const file = uploadChunks(body, {
      chunkBytes: CHUNK_BYTES,
      limitBytes: this.maxBytes,
      idleMs: UPLOAD_IDLE_MS,
      deadlineMs: this.uploadDeadlineMs,
    });
    const input = {
      tenantId: tenant.id,
      requestedBy: this.request.actor?.userId ?? null,
      entity: entity.name,
      format: query.format,
      mode: query.mode,
      externalKey: query.externalKey,
    };
    const { id } = await this.ledger
      .record(input, refusingUnfit(file, this.maxBytes), (sendWithin, importId) => this.queue.enqueue(sendWithin, importId))
      .finally(release);
    this.queue.wake();
    return this.get(id);
  }

  async get(id: string): Promise<ImportDto> {
    return importDtoOf(await this.visible(id));
  }

  async errors(id: string, query: ImportErrorsQueryDto): Promise<Page<ImportRowErrorDto>> {
    await this.visible(id);
    const after = query.cursor ? decodeCursor(query.cursor, [cursorFields.integer, cursorFields.text]) : undefined;
    const rows = await this.ledger.errorsAfter(id, after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.row, last.field]) : null };
  }

  /** The import, if it is the current tenant's and the caller may write what it imports; another tenant's is a 404 like an unknown id. */
  private async visible(id: string): Promise<ImportRow> {
    const found = await this.ledger.find(id, this.tenants.require().id);
    if (!found) throw new NotFoundException(`Import ${id} not found`);
    this.access.assertMay(TRANSFER_ENTITY[found.entity as TransferEntityName], 'write');
    return found;
  }
}

/** The upload's chunks, its faults answered in HTTP terms: too large (413), a NUL byte or nothing at all (400), stalled (408). */
async function* refusingUnfit(file: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  try {
    for await (const chunk of file) {
      size += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UploadTooLargeError) throw tooLarge(limit);
    if (error instanceof UploadStalledError || error instanceof UploadTooSlowError) {
      throw new RequestTimeoutException(`${error.message}: the upload was cut off and nothing kept`);
    }
    if (error instanceof NotUtf8UploadError) {
      throw new BadRequestException({ message: error.message, details: [{ field: 'body', problems: ['must be UTF-8 text'] }] });
    }
    if (error instanceof NulInUploadError) {
      throw new BadRequestException({ message: error.message, details: [{ field: 'body', problems: ['must not contain U+0000'] }] });
    }
    throw error;
  }
  if (size === 0) throw new BadRequestException({ message: 'The file is empty', details: [{ field: 'body', problems: ['is empty'] }] });
}

function tooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The file is larger than the import limit of ${limit} bytes (IMPORT_MAX_BYTES)`);
}

function importDtoOf(row: ImportRow): ImportDto {
  const { id, entity, format, mode, externalKey, status, rowsRead, rowsWritten, rowsFailed, failure, createdAt, finishedAt } = row;
  const sizeBytes = Number(row.sizeBytes);
  return { id, entity, format, mode, externalKey, status, sizeBytes, rowsRead, rowsWritten, rowsFailed, failure, createdAt, finishedAt };
}
