import { Client, ClientConfig } from 'pg';

/** Runs `work` on a fresh administrative session of `database`, always closing it. */
export async function withSession<T>(connection: ClientConfig, database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...connection, database, connectionTimeoutMillis: 5_000, application_name: 'tenantry-tenant-move' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
