import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';

/** A database of one spec file's own on the test server, dropped (connections and all) by `drop()`. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates a database named `<prefix>_<random>` through TENANTRY_TEST_ADMIN_URL (set by jest's globalSetup). */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const adminUrl = process.env.TENANTRY_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('TENANTRY_TEST_ADMIN_URL is not set; run through jest.config.js (globalSetup)');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
