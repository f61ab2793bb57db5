import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresAdmin } from '../../libs/tenancy/postgres-admin';
import { migrateTenantDatabase, schemaVersionOf } from '../../libs/tenancy/tenant-schema-migrator';
import { CONTROL_PLANE_MIGRATIONS } from '../../migrations/control-plane';
import { TENANT_MIGRATIONS } from '../../migrations/tenant';
import { ownTemplateName } from '../../src/control-plane/placement/tenant-database.factory';

const TENANT_SCHEMA_VERSION = schemaVersionOf(TENANT_MIGRATIONS);

/**
 * A control-plane database with every migration applied, made once per test run: each test app's
 * database is a copy of it (`CREATE DATABASE … TEMPLATE`), which is faster than migrating each one.
 * The app then finds no migration pending, as a restarted deployment does. Copies get a control-plane
 * id of their own (the migration that creates it drew one random id for the template).
 *
 * A database at the tenant schema is made beside it (`tenantTemplateOf`): each copy's control plane gets
 * its own tenant template copied from it, so the first pool a test app creates does not run every tenant
 * migration first (seconds of PostgreSQL's time per test app).
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
  await createTenantTemplate(adminUrl, tenantTemplateOf(name));
  return name;
}

/**
 * The run's database at the current tenant schema: named after the run's control-plane template, never
 * under the product's template names, which a control plane on the same server (DATABASE_URL) may own.
 */
function tenantTemplateOf(controlPlaneTemplate: string): string {
  return `${controlPlaneTemplate}_tenant`;
}

/** Migrated as the product builds its templates: as the server's admin, who stands in for the app role. */
async function createTenantTemplate(adminUrl: string, name: string): Promise<void> {
  const server = new URL(adminUrl);
  const user = decodeURIComponent(server.username);
  await onDatabase(adminUrl, 'postgres', (client) => client.query(`CREATE DATABASE ${escapeIdentifier(name)}`));
  await migrateTenantDatabase(
    {
      host: server.hostname,
      port: Number(server.port || 5432),
      user,
      password: decodeURIComponent(server.password),
      database: name,
      appRole: user,
    },
    TENANT_MIGRATIONS,
  );
}

/**
 * A fresh control-plane database copied from the template, with a control-plane id of its own and, unless
 * `tenantTemplate` is false (no tenant database will be created through it), a tenant template of its own.
 */
export async function copyControlPlaneTemplate(
  adminUrl: string,
  template: string,
  name: string,
  { tenantTemplate = true } = {},
): Promise<void> {
  await onDatabase(adminUrl, 'postgres', (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const [{ id }] = await onDatabase(adminUrl, name, async (client) => {
    return (await client.query<{ id: string }>('UPDATE control_plane_identity SET id = gen_random_uuid() RETURNING id')).rows;
  });
  if (!tenantTemplate) return;
  // Under this control plane's own template name, with its mark: the template it would otherwise build at its first
  // tenant database. (The product's shared name goes to whichever control plane builds a template first.)
  const own = ownTemplateName(TENANT_SCHEMA_VERSION, id);
  // As the product builds one: copied under its name with its mark, then closed to connections (a template must be).
  const admin = new PostgresAdmin({ connectionString: urlOf(adminUrl, 'postgres') });
  await admin.createMarkedDatabase(
    own,
    { controlPlaneId: id, kind: 'template', ownerId: TENANT_SCHEMA_VERSION },
    {
      template: tenantTemplateOf(template),
    },
  );
  await admin.closeToConnections(own);
}

/** A database at the current tenant schema, copied from the run's (its tables granted to no app role yet). */
export async function copyTenantTemplate(adminUrl: string, controlPlaneTemplate: string, name: string): Promise<void> {
  await onDatabase(adminUrl, 'postgres', (client) =>
    client.query(`CREATE DATABASE ${escapeIdentifier(name)} TEMPLATE ${escapeIdentifier(tenantTemplateOf(controlPlaneTemplate))}`),
  );
}

export async function dropControlPlaneTemplate(adminUrl: string, template: string): Promise<void> {
  await onDatabase(adminUrl, 'postgres', async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(tenantTemplateOf(template))} WITH (FORCE)`);
  });
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
