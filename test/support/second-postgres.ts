import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresServer } from '../../libs/embedded-postgres';
import { THROWAWAY_SERVER_FLAGS } from './throwaway-server-flags';

/** Another real PostgreSQL server (embedded, throw-away), e.g. one with wal_level=logical that tenants are moved onto and off. */
export interface SecondPostgres {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  sql<T = any>(database: string, text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function startSecondPostgres(serverFlags: string[] = []): Promise<SecondPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantry-test-pg2-'));
  const port = 50000 + Math.floor(Math.random() * 5000);
  const server = await EmbeddedPostgresServer.start({ baseDir: dir, port, serverFlags: [...THROWAWAY_SERVER_FLAGS, ...serverFlags] });
  const url = new URL(server.url);
  return {
    url: server.url,
    host: url.hostname,
    port,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sql: async (database, text, params) => {
      const client = new Client({ connectionString: onDatabase(server.url, database) });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
