import { EntityManager } from 'typeorm';
import { FenceTarget } from '../../../libs/queue/fenced-attempt';

/** A problem with one row of an import: its row number, the field at fault ('' for the row as a whole) and what is wrong. */
export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

/** An import's row in the control plane (migrations/control-plane BulkImports). */
export interface ImportRow {
  id: string;
  tenantId: string;
  requestedBy: string | null;
  entity: string;
  format: 'csv' | 'ndjson';
  mode: 'all_or_nothing' | 'skip_invalid';
  externalKey: string;
  status: string;
  sizeBytes: string;
  rowsRead: number;
  rowsWritten: number;
  rowsFailed: number;
  /** The last row whose outcome is committed (skip_invalid): a new attempt goes on after it. */
  rowsDone: number;
  failure: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** An import job's attempts own its row while it is queued or running. */
export const IMPORT_FENCE: FenceTarget = {
  table: 'bulk_imports',
  tokenColumn: 'attempt_token',
  ownedWhile: "status IN ('queued', 'running')",
};

const COLUMNS = `id, tenant_id AS "tenantId", requested_by AS "requestedBy", entity, format, mode, external_key AS "externalKey", status,
  size_bytes AS "sizeBytes", rows_read AS "rowsRead", rows_written AS "rowsWritten", rows_failed AS "rowsFailed", rows_done AS "rowsDone",
  failure, created_at AS "createdAt", finished_at AS "finishedAt"`;

export async function findImport(manager: EntityManager, id: string, tenantId?: string): Promise<ImportRow | undefined> {
  const rows: ImportRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM bulk_imports WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
    [id, tenantId ?? null],
  );
  return rows[0];
}

/** The uploaded file's chunks in order, one read at a time. */
export async function* importChunks(manager: EntityManager, id: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq += 1) {
    const [chunk]: Array<{ data: Buffer } | undefined> = await manager.query(
      'SELECT data FROM bulk_import_chunks WHERE import_id = $1 AND seq = $2',
      [id, seq],
    );
    if (!chunk) return;
    yield chunk.data;
  }
}

/**
 * A CTE for a fenced write (FencedAttempt.write) adding row errors to the import it owns, once each
 * however often an attempt records them; its parameters, from `first` on, are `rowErrorsValues`.
 */
export function rowErrorsWrite(first: number): string {
  return `row_errors AS (INSERT INTO bulk_import_errors (import_id, row_number, field, message)
     SELECT owned.id, e.row_number, left(e.field, 200), left(e.message, 1000)
       FROM owned, unnest($${first}::int[], $${first + 1}::text[], $${first + 2}::text[]) AS e (row_number, field, message)
   ON CONFLICT DO NOTHING)`;
}

export function rowErrorsValues(errors: readonly ImportRowError[]): [number[], string[], string[]] {
  return [errors.map((error) => error.row), errors.map((error) => error.field), errors.map((error) => error.message)];
}

export async function rowErrorsAfter(
  manager: EntityManager,
  id: string,
  after: readonly [number, string] | undefined,
  limit: number,
): Promise<ImportRowError[]> {
  return manager.query(
    `SELECT row_number AS row, field, message FROM bulk_import_errors
      WHERE import_id = $1 AND ($2::int IS NULL OR (row_number, field) > ($2, $3))
      ORDER BY row_number, field LIMIT $4`,
    [id, after?.[0] ?? null, after?.[1] ?? '', limit],
  );
}
