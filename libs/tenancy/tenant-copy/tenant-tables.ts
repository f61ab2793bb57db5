import { OUTBOX_TABLE } from '../outbox/outbox-event';
import { Client, ClientConfig } from 'pg';

/** A table holding tenant rows (it has a `tenant_id` column), with the columns a copy writes. */
export interface TenantTable {
  name: string;
  /** Columns in table order, generated ones left out (they are computed on insert). */
  writableColumns: string[];
}

/** Opens an administrative session on one database; the caller ends it. */
export async function connectTo(connection: ClientConfig, database: string): Promise<Client> {
  const client = new Client({ ...connection, database, connectionTimeoutMillis: 5_000, application_name: 'tenantry-tenant-move' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs `work` on a fresh session of `database`, always closing it. */
export async function withSession<T>(connection: ClientConfig, database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectTo(connection, database);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Every table of the public schema with a tenant_id column (the tenant schema keys every row by it),
 * but the outbox: its events are work in flight, relayed from the source under the freeze
 * (TenantMover), not data to copy, and the relay deleting them would make the two ends differ.
 */
export async function tenantTables(client: Client): Promise<TenantTable[]> {
  const { rows } = await client.query<{ table_name: string; columns: string[] }>(
    `SELECT c.relname AS table_name,
            array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
        AND c.relname <> $1
      GROUP BY c.relname
      ORDER BY c.relname`,
    [OUTBOX_TABLE],
  );
  return rows.map((row) => ({ name: row.table_name, writableColumns: row.columns }));
}
