import { Client, escapeIdentifier } from 'pg';
import { insertableColumns, TenantTable } from '../tenant-tables';

/** Rows moved per round trip: a batch is held in memory on the way, never the tenant. */
const BATCH_ROWS = 2_000;

/**
 * Copies one tenant's rows table by table for a source without logical replication, while the
 * tenant's writes are frozen (nothing changes under it). Each table is read through a cursor in a
 * repeatable-read snapshot and written in batches (`jsonb_populate_recordset`, so every type
 * round-trips through its text form), after the tenant's rows left there by an earlier try are
 * deleted: running it again converges. The target session runs with
 * `session_replication_role = replica`, as logical replication's apply does: foreign keys between
 * tables and triggers are not re-run on rows that already passed them. Setting it takes a superuser, or a
 * role granted `SET` on the parameter (PostgreSQL 15+: GRANT SET ON PARAMETER session_replication_role TO …).
 * Returns rows copied per table.
 */
export async function copyTenantRows(
  source: Client,
  target: Client,
  tables: TenantTable[],
  tenantId: string,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await target.query('BEGIN');
  try {
    // Row-level security also binds an admin that is not a superuser: both sessions are bound to the tenant.
    for (const client of [source, target]) await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    await target.query('SET LOCAL session_replication_role = replica');
    for (const table of tables) {
      signal?.throwIfAborted();
      copied[table.name] = await copyTable(source, target, table, tenantId, signal);
    }
    await target.query('COMMIT');
    await source.query('COMMIT');
    return copied;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    await source.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function copyTable(source: Client, target: Client, table: TenantTable, tenantId: string, signal?: AbortSignal): Promise<number> {
  const name = escapeIdentifier(table.name);
  const columns = insertableColumns(table)
    .map((column) => escapeIdentifier(column))
    .join(', ');
  await target.query(`DELETE FROM ${name} WHERE tenant_id = $1`, [tenantId]);
  await source.query(`DECLARE tenant_rows NO SCROLL CURSOR FOR SELECT to_jsonb(t) AS row FROM ${name} t WHERE tenant_id = $1`, [tenantId]);
  let total = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { rows } = await source.query<{ row: unknown }>(`FETCH ${BATCH_ROWS} FROM tenant_rows`);
      if (rows.length === 0) return total;
      await target.query(`INSERT INTO ${name} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${name}, $1::jsonb)`, [
        JSON.stringify(rows.map((entry) => entry.row)),
      ]);
      total += rows.length;
    }
  } finally {
    await source.query('CLOSE tenant_rows').catch(() => undefined);
  }
}
