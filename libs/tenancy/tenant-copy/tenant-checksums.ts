import { Client, escapeIdentifier } from 'pg';
import { TenantTable } from './tenant-tables';

export interface TableChecksum {
  table: string;
  rows: number;
  /** The sum of a 64-bit hash of every row's text: independent of row order, changed by any row that differs. */
  checksum: string;
}

/**
 * Row count and checksum of one tenant's rows in each table, in one scan per table (no sort: a
 * move checks them while the tenant's writes are frozen). Rows are hashed as their text form
 * (`hashtextextended`, PostgreSQL's stable hash that hash partitioning relies on), so both ends
 * must have the same columns in the same order, which one tenant schema for both placements
 * guarantees. It proves a copy faithful, not data safe against someone forging collisions.
 */
export async function tenantChecksums(client: Client, tables: TenantTable[], tenantId: string): Promise<TableChecksum[]> {
  const checksums: TableChecksum[] = [];
  // Row-level security also binds an admin that is not a superuser: its rows are the bound tenant's.
  await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
  for (const table of tables) {
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows, coalesce(sum(hashtextextended(t::text, 0)), 0)::text AS checksum
         FROM ${escapeIdentifier(table.name)} t WHERE tenant_id = $1`,
      [tenantId],
    );
    checksums.push({ table: table.name, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return checksums;
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
