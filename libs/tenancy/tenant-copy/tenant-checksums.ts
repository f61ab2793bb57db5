import { Client, escapeIdentifier } from 'pg';
import { TenantTable } from './tenant-tables';

export interface TableChecksum {
  table: string;
  rows: number;
  /** md5 over the md5 of every row's text, in the order of those hashes: equal exactly when the rows are. */
  checksum: string;
}

/**
 * Row count and checksum of one tenant's rows in each table. Rows are hashed as their text
 * form, so both ends must have the same columns in the same order (one tenant schema serves both
 * placements); the order is that of the row hashes under the C collation, so it depends on
 * neither physical order nor the server's collation.
 */
export async function tenantChecksums(client: Client, tables: TenantTable[], tenantId: string): Promise<TableChecksum[]> {
  const checksums: TableChecksum[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ rows: string; checksum: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(h, '' ORDER BY h COLLATE "C")) AS checksum
         FROM (SELECT md5(t::text) AS h FROM ${escapeIdentifier(table.name)} t WHERE tenant_id = $1) hashed`,
      [tenantId],
    );
    checksums.push({ table: table.name, rows: Number(rows[0].rows), checksum: rows[0].checksum ?? md5OfNothing });
  }
  return checksums;
}

const md5OfNothing = 'd41d8cd98f00b204e9800998ecf8427e';

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
