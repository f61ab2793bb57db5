import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { escapeIdentifier } from 'pg';
import { QueryRunner } from 'typeorm';
import { TenantTable } from '../tenancy/tenant-tables';

const ROWS_PER_FETCH = 500;

export interface ExportedTable {
  columns: string[];
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Writes the bound tenant's rows of `table` to `path` as NDJSON, in primary-key order, through a
 * server-side cursor: a fetch of rows at a time, so no table is ever held in memory. PostgreSQL
 * renders each row (to_jsonb, which orders keys the same way every time), so the same rows give the
 * same bytes. tenant_id is left out; it is the archive's tenant. Must run inside a transaction
 * with the tenant bound (row-level security); the WHERE says it once more.
 */
export async function exportTable(runner: QueryRunner, table: TenantTable, path: string, signal?: AbortSignal): Promise<ExportedTable> {
  const name = escapeIdentifier(table.name);
  const cursor = escapeIdentifier(`archive_${table.name}`);
  const order = table.primaryKey.map(escapeIdentifier).join(', ');
  await runner.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT (to_jsonb(t) - 'tenant_id')::text AS line FROM ${name} t WHERE t.tenant_id = current_setting('app.tenant_id')::uuid ORDER BY ${order}`,
  );
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  let rows = 0;
  let bytes = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const batch = (await runner.query(`FETCH FORWARD ${ROWS_PER_FETCH} FROM ${cursor}`)) as Array<{ line: string }>;
      if (batch.length === 0) break;
      const chunk = Buffer.from(batch.map((row) => `${row.line}\n`).join(''), 'utf8');
      hash.update(chunk);
      rows += batch.length;
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
    await runner.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
  return { columns: table.columns.filter((column) => column !== 'tenant_id'), rows, bytes, sha256: hash.digest('hex') };
}
