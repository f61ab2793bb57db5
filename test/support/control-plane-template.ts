import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CONTROL_PLANE_MIGRATIONS } from '../../migrations/control-plane';

/**
 * A control-plane database with every migration applied, made once per test run: each test app's
 * database is a copy of it (`CREATE DATABASE … TEMPLATE`), which is faster than migrating each one.
 * The app then finds no migration pending, as a restarted deployment does. Copies get a control-plane
 * id of their own (the migration that creates it drew one random id for the template).
 */
export async function createControlPlaneTemplate(adminUrl: string): Promise<string> {
  const name = `tenantry_e2e_cptpl_${randomBytes(6).toString('hex')}`;
  await onDatabase(adminUrl, 'postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  const migrator = new DataSource({
    type: 'postgres',
    url: urlOf(adminUrl, name),
    migrations: CONTROL_PLANE_MIGRATIONS,
    migrationsTableName: 'control_plane_migrations',
    migrationsTransactionMode: 'each',
  });
  await migrator.initialize();
  try {
    await migrator.runMigrations();
  } finally {
    await migrator.destroy();
  }
  return name;
}

/** A fresh control-plane database copied from the template, with a control-plane id of its own. */
export async function copyControlPlaneTemplate(adminUrl: string, template: string, name: string): Promise<void> {
  await onDatabase(adminUrl, 'postgres', (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  await onDatabase(adminUrl, name, (client) => client.query('UPDATE control_plane_identity SET id = gen_random_uuid()'));
}

export async function dropControlPlaneTemplate(adminUrl: string, template: string): Promise<void> {
  await onDatabase(adminUrl, 'postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
}

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onDatabase<T>(adminUrl: string, database: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlOf(adminUrl, database) });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
