import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresServer } from '../../libs/embedded-postgres';
import { warmChildProcessCaches } from './child-process-caches';
import { createControlPlaneTemplate } from './control-plane-template';
import { THROWAWAY_SERVER_FLAGS } from './throwaway-server-flags';

declare global {
  var embeddedTestPostgres: { server: EmbeddedPostgresServer; dir: string } | undefined;
}

/**
 * End-to-end tests need a PostgreSQL server on which they may create databases. DATABASE_URL
 * names one (CI points it at the machine's server); without it a throw-away embedded server runs.
 * Test apps copy their control-plane database from one migrated once here (control-plane-template.ts).
 */
export default async function globalSetup(): Promise<void> {
  // The CLI and app processes the tests start each load the whole app (~2 s of CPU, nearly all of a CLI call's): with
  // Node's compile cache, starts after the first reuse the compiled code (a quarter less CPU). Workers' children inherit it.
  process.env.NODE_COMPILE_CACHE ??= join(__dirname, '..', '..', 'node_modules', '.cache', 'node-compile-cache');
  const cachesWarmed = warmChildProcessCaches();
  if (process.env.DATABASE_URL) {
    process.env.TENANTRY_TEST_ADMIN_URL = process.env.DATABASE_URL;
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'tenantry-test-pg-'));
    const port = 55000 + Math.floor(Math.random() * 5000);
    const server = await EmbeddedPostgresServer.start({ baseDir: dir, port, serverFlags: THROWAWAY_SERVER_FLAGS });
    globalThis.embeddedTestPostgres = { server, dir };
    process.env.TENANTRY_TEST_ADMIN_URL = server.url;
  }
  process.env.TENANTRY_TEST_CONTROL_PLANE_TEMPLATE = await createControlPlaneTemplate(process.env.TENANTRY_TEST_ADMIN_URL);
  await cachesWarmed;
}
