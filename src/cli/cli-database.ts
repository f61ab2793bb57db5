import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresServer } from '../../libs/embedded-postgres';
import { EnvironmentVariables } from '../platform/config/environment';

/**
 * The control-plane database for a CLI run: DATABASE_URL, else the embedded server `npm start`
 * runs — reached while the app is up, or started (and stopped again) for the command.
 */
export async function cliDatabase(vars: EnvironmentVariables): Promise<{ url: string; close: () => Promise<void> }> {
  if (vars.DATABASE_URL) return { url: vars.DATABASE_URL, close: async () => undefined };
  const baseDir = join(vars.DATA_DIR, 'postgres');
  const password = await readFile(join(baseDir, 'superuser-password'), 'utf8').catch(() => undefined);
  if (password) {
    const url = `postgres://postgres:${encodeURIComponent(password.trim())}@127.0.0.1:${vars.EMBEDDED_POSTGRES_PORT}/postgres`;
    if (await reachable(url)) return { url, close: async () => undefined };
  }
  const server = await EmbeddedPostgresServer.start({ baseDir, port: vars.EMBEDDED_POSTGRES_PORT });
  return { url: server.url, close: () => server.stop() };
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
