import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/** The machine's MariaDB as its superuser: where byod tests create the legacy databases a customer would bring. */
export const LEGACY_MYSQL = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/**
 * Runs `sql` (several statements allowed) on the machine's MariaDB as its superuser, in `database` if given, on a
 * connection of its own; answers the last statement's result.
 */
export async function onLegacyMysql(sql: string, database?: string): Promise<unknown> {
  const mysql = await createConnection({ ...LEGACY_MYSQL, ...(database ? { database } : {}), multipleStatements: true });
  try {
    return (await mysql.query(sql))[0];
  } finally {
    await mysql.end();
  }
}

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
