import { Client } from 'pg';

/** The machine's MariaDB as its superuser: where byod tests create the legacy databases a customer would bring. */
export const LEGACY_MYSQL = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** The test PostgreSQL server's admin URL, pointed at `database`. */
export function legacyPostgresUrl(database: string): string {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `sql` on `database` of the test PostgreSQL server as its admin, on a connection of its own. */
export async function onLegacyPostgres(database: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: legacyPostgresUrl(database) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
