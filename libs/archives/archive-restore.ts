import { escapeIdentifier } from 'pg';
import { QueryRunner } from 'typeorm';
import { OpenedArchive, UnreadableArchiveError } from './archive-reader';
import { readTenantTableLayout } from '../tenancy/tenant-tables';

const ROWS_PER_INSERT = 500;

/** The bound tenant's rows, per table, after a restore. */
export type RestoredRows = Record<string, number>;

/**
 * Replaces every row of the bound tenant with the archive's, inside the caller's transaction (so
 * the tenant's data is either all the archive's or untouched). The rows get the bound tenant's
 * id, whatever tenant they were archived from.
 *
 * The lines are first staged in a temporary table, a batch at a time (never the archive in
 * memory); then the tenant's tables are emptied, children first, and filled from the stage,
 * parents first, one INSERT … SELECT per table: PostgreSQL checks foreign keys at the end of a
 * statement, so rows referring to rows of their own table (a note's parent) need no order.
 *
 * Restores of one tenant are serialised (a transaction-scoped advisory lock). Writes the tenant's
 * users make meanwhile are not held off: suspend the tenant first for a clean cut.
 *
 * An archive of an older schema is restored onto the current one by column name: a column it
 * lacks takes its default, as the migration that added it gave the existing rows. A table or
 * column the current schema does not have means the archive is newer than this build: refused.
 */
export async function restoreTenantRows(runner: QueryRunner, archive: OpenedArchive, signal?: AbortSignal): Promise<RestoredRows> {
  const layout = await readTenantTableLayout(runner);
  const current = new Map(layout.tables.map((table) => [table.name, table]));
  for (const archived of archive.manifest.tables) {
    const table = current.get(archived.name);
    if (!table) throw new UnreadableArchiveError(`The archive's table ${archived.name} is not in this tenant schema`);
    const unknown = archived.columns.filter((column) => !table.columns.includes(column));
    if (unknown.length > 0)
      throw new UnreadableArchiveError(`The archive's columns ${archived.name}.${unknown.join(', ')} are not in this tenant schema`);
  }
  // Two restores of one tenant at once would each empty its tables and then collide on its keys: one waits for the other.
  await runner.query("SELECT pg_advisory_xact_lock(hashtext('tenant-restore:' || current_setting('app.tenant_id')))");
  await runner.query('CREATE TEMPORARY TABLE archive_rows (table_name text NOT NULL, line jsonb NOT NULL) ON COMMIT DROP');
  for (const archived of archive.manifest.tables) {
    let batch: string[] = [];
    const flush = async () => {
      signal?.throwIfAborted();
      await runner.query('INSERT INTO archive_rows (table_name, line) SELECT $1, unnest($2::jsonb[])', [archived.name, batch]);
      batch = [];
    };
    for await (const line of archive.lines(archived)) {
      batch.push(line);
      if (batch.length === ROWS_PER_INSERT) await flush();
    }
    if (batch.length > 0) await flush();
  }
  for (const table of [...layout.tables].reverse()) {
    await runner.query(`DELETE FROM ${escapeIdentifier(table.name)} WHERE tenant_id = current_setting('app.tenant_id')::uuid`);
  }
  const restored: RestoredRows = {};
  const archivedByName = new Map(archive.manifest.tables.map((table) => [table.name, table]));
  for (const table of layout.tables) {
    const archived = archivedByName.get(table.name);
    if (!archived) continue;
    signal?.throwIfAborted();
    const columns = archived.columns.filter((column) => !table.generated.includes(column)).map(escapeIdentifier);
    const name = escapeIdentifier(table.name);
    await runner.query(
      `INSERT INTO ${name} (tenant_id, ${columns.join(', ')})
         SELECT current_setting('app.tenant_id')::uuid, ${columns.map((column) => `r.${column}`).join(', ')}
           FROM archive_rows a CROSS JOIN LATERAL jsonb_populate_record(NULL::${name}, a.line) r
          WHERE a.table_name = $1`,
      [table.name],
    );
    const [{ count }] = (await runner.query(
      `SELECT count(*)::int AS count FROM ${name} WHERE tenant_id = current_setting('app.tenant_id')::uuid`,
    )) as Array<{ count: number }>;
    if (count !== archived.rows)
      throw new UnreadableArchiveError(`Table ${table.name} restored ${count} rows, the archive holds ${archived.rows}`);
    restored[table.name] = count;
  }
  return restored;
}
