import { UnprocessableEntityException } from '@nestjs/common';
import { Client } from 'pg';

export interface ServerCredentials {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
}

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Connects as the admin role and checks it may create databases and roles, so a server is only
 * registered when provisioning could use it. Errors name the problem, never the password.
 */
export async function checkServerConnection(credentials: ServerCredentials): Promise<void> {
  const client = new Client({
    host: credentials.host.replace(/^\[|\]$/g, ''),
    port: credentials.port,
    user: credentials.adminUser,
    password: credentials.adminPassword,
    database: 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    application_name: 'tenantry-server-check',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ rolcreatedb: boolean; rolcreaterole: boolean; rolsuper: boolean }>(
      'SELECT rolcreatedb, rolcreaterole, rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    const role = rows[0];
    if (!role || !(role.rolsuper || (role.rolcreatedb && role.rolcreaterole))) {
      throw new UnprocessableEntityException(
        `Role "${credentials.adminUser}" may not create databases and roles (needs CREATEDB and CREATEROLE)`,
      );
    }
  } catch (error) {
    if (error instanceof UnprocessableEntityException) throw error;
    const reason = error instanceof Error ? error.message.replaceAll(credentials.adminPassword || '\u0000', '[redacted]') : 'unknown error';
    throw new UnprocessableEntityException(
      `Cannot connect to ${credentials.host}:${credentials.port} as ${credentials.adminUser}: ${reason}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The server's max_connections, read as the admin role; undefined when it cannot be read (a pooler
 * in front, or the server is down): then a connection budget is not checked against it.
 */
export async function readMaxConnections(connection: {
  host: string;
  port: number;
  user: string;
  password: string;
}): Promise<number | undefined> {
  const client = new Client({
    ...connection,
    host: connection.host.replace(/^\[|\]$/g, ''),
    database: 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    application_name: 'tenantry-server-check',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ max: number }>("SELECT current_setting('max_connections')::int AS max");
    return rows[0]?.max;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Refuses a connection budget above the server's max_connections (when it could be read). */
export function checkConnectionBudget(budget: number | null | undefined, maxConnections: number | undefined): void {
  if (budget === null || budget === undefined || maxConnections === undefined || budget <= maxConnections) return;
  throw new UnprocessableEntityException({
    message: `connectionBudget ${budget} exceeds the server's max_connections (${maxConnections})`,
    details: [{ field: 'connectionBudget', problems: [`must be at most the server's max_connections (${maxConnections})`] }],
  });
}
