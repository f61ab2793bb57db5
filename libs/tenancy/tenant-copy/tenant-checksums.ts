import { Client, escapeIdentifier } from 'pg';
import { TenantTable } from '../tenant-tables';

export interface TableChecksum {
  table: string;
  rows: number;
  /** The sum of a 64-bit hash of every row (see RowHash): independent of row order, changed by any row that differs. */
  checksum: string;
}

/**
 * How a table's rows are hashed: `record` hashes each column with its type's own hash function
 * (`hash_record_extended`, PostgreSQL 14+), several times faster than `text`, which hashes the row's
 * text form (`hashtextextended`) and is left for tables with a column type that has no hash
 * function (json, point, …) or a server without it. Both are the stable hashes hash partitioning
 * relies on, so two servers agree.
 */
export type RowHash = 'record' | 'text';

/** PostgreSQL's undefined_function: no extended hash function for a column's type (or no hash_record_extended at all). */
const UNDEFINED_FUNCTION = '42883';

/** Per table, the row hash the server can compute for the tenant's rows (tried on one of them). */
export async function rowHashes(client: Client, tables: TenantTable[], tenantId: string): Promise<Map<string, RowHash>> {
  await bindTenant(client, tenantId);
  const hashes = new Map<string, RowHash>();
  for (const table of tables) {
    const tried = await client
      .query(`SELECT hash_record_extended(t, 0) FROM ${escapeIdentifier(table.name)} t WHERE tenant_id = $1 LIMIT 1`, [tenantId])
      .then(
        () => 'record' as const,
        (error: { code?: string }) => {
          if (error.code === UNDEFINED_FUNCTION) return 'text' as const;
          throw error;
        },
      );
    hashes.set(table.name, tried);
  }
  return hashes;
}

/**
 * Row count and checksum of one tenant's rows in each table, in one scan per table (no sort: a
 * move checks them while the tenant's writes are frozen), each row hashed as `hashes` says (both
 * ends of a comparison must use the same). Both ends must have the same columns in the same order,
 * which one tenant schema for both placements guarantees. It proves a copy faithful, not data safe
 * against someone forging collisions.
 */
export async function tenantChecksums(
  client: Client,
  tables: TenantTable[],
  tenantId: string,
  hashes: ReadonlyMap<string, RowHash>,
): Promise<TableChecksum[]> {
  const checksums: TableChecksum[] = [];
  await bindTenant(client, tenantId);
  for (const table of tables) {
    const rowHash = hashes.get(table.name) === 'record' ? 'hash_record_extended(t, 0)' : 'hashtextextended(t::text, 0)';
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows, coalesce(sum(${rowHash}), 0)::text AS checksum
         FROM ${escapeIdentifier(table.name)} t WHERE tenant_id = $1`,
      [tenantId],
    );
    checksums.push({ table: table.name, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return checksums;
}

/** Row-level security also binds an admin that is not a superuser: its rows are the bound tenant's. */
async function bindTenant(client: Client, tenantId: string): Promise<void> {
  await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
}

/** The tables whose counts or checksums differ between two ends. */
export function differingTables(source: TableChecksum[], target: TableChecksum[]): string[] {
  const byTable = new Map(target.map((entry) => [entry.table, entry]));
  return source
    .filter((entry) => {
      const other = byTable.get(entry.table);
      return !other || other.rows !== entry.rows || other.checksum !== entry.checksum;
    })
    .map((entry) => entry.table);
}
