import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { FleetMigrationService } from '../src/control-plane/fleet-migrations/fleet-migration.service';
import { ownTemplateName, templateName } from '../src/control-plane/placement/tenant-database.factory';
import { adminToken, createTenant } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** A release's new tenant migration, named for this file so its template name is this file's alone. */
class OwnershipProbe1799000000002 implements MigrationInterface {
  name = 'OwnershipProbe1799000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes ADD COLUMN probe integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes DROP COLUMN probe`);
  }
}

const NEW_VERSION = 'OwnershipProbe1799000000002';
const OLD_VERSION = TENANT_MIGRATIONS.at(-1)!.name;

/** A fleet run migrates only databases whose ownership mark proves this control plane created them for that owner. */
describe('fleet migrations and ownership marks', () => {
  let next: TestApp;
  let admin: string;
  const tenants: Array<{ id: string; slug: string; database: string }> = [];
  const template = templateName(NEW_VERSION);

  beforeAll(async () => {
    const current = await startTestApp();
    const currentAdmin = await adminToken(current.api);
    for (let i = 0; i < 2; i += 1) {
      const tenant = await createTenant(current.api, currentAdmin, { placement: 'dedicated' });
      const [{ database_name: database }] = await current.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
      tenants.push({ id: tenant.id, slug: tenant.slug, database });
    }
    await current.stop();
    const nextRelease = [...TENANT_MIGRATIONS, OwnershipProbe1799000000002];
    next = await startTestApp({ databaseUrl: current.databaseUrl, tenantMigrations: nextRelease });
    admin = await adminToken(next.api);
  }, 120_000);
  afterAll(async () => {
    const ours = await ownTemplate();
    await onDatabase('postgres', async (client) => {
      for (const name of [template, ours]) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    await next.close();
  });

  /** Where this control plane builds its template when the shared name is taken by a database it did not create. */
  const ownTemplate = async () => ownTemplateName(NEW_VERSION, (await next.sql('SELECT id FROM control_plane_identity'))[0].id);

  /** A new dedicated tenant, checked to be at the new version and copied from a template; answers its database. */
  const newTenantFromTemplate = async (): Promise<string> => {
    const fresh = await createTenant(next.api, admin, { placement: 'dedicated' });
    const detail = (await next.api.get(`/control/tenants/${fresh.id}`, { token: admin })).body;
    expect(detail.schemaVersion).toBe(NEW_VERSION);
    expect(detail.provisioning.find((step: { step: string }) => step.step === 'database').detail).toMatch(/\(template\)/);
    const [{ database_name: database }] = await next.sql('SELECT database_name FROM tenants WHERE id = $1', [fresh.id]);
    return database;
  };

  it('fails a tenant database whose mark was replaced without migrating it, migrates the others and builds its template beside a foreign one', async () => {
    const [foreign, ours] = tenants;
    await onDatabase('postgres', async (client) => {
      await client.query(`COMMENT ON DATABASE ${foreign.database} IS 'something else'`);
      // Someone else's database under the name of the new version's template.
      await client.query(`CREATE DATABASE ${template}`);
    });
    await onDatabase(template, (client) => client.query('CREATE TABLE intruder (id int)'));

    const fleet = next.app.get(FleetMigrationService);
    const created = await fleet.createRun({ concurrency: 2 }, null);
    await fleet.execute(created.id);
    const { run, targets } = await fleet.get(created.id);

    expect(run.status).toBe('failed');
    expect(targets.find((target) => target.label === foreign.slug)).toMatchObject({
      status: 'failed',
      applied: [],
      error: `database ${foreign.database} does not carry this control plane's mark for tenant ${foreign.id}; not migrating it`,
    });
    expect(targets.find((target) => target.label === ours.slug)).toMatchObject({ status: 'migrated', applied: [NEW_VERSION] });
    expect(targets.find((target) => target.kind === 'template')).toMatchObject({ status: 'migrated', applied: [await ownTemplate()] });
    expect(await columnsOfNotes(foreign.database)).not.toContain('probe');
    expect(await columnsOfNotes(ours.database)).toContain('probe');
    const versions = await next.sql('SELECT id, schema_version FROM tenants WHERE id = ANY($1)', [[foreign.id, ours.id]]);
    expect(Object.fromEntries(versions.map((row: { id: string; schema_version: string }) => [row.id, row.schema_version]))).toEqual({
      [foreign.id]: OLD_VERSION,
      [ours.id]: NEW_VERSION,
    });
    expect(await tablesOf(template)).toEqual(['intruder']);
    const comment = await onDatabase('postgres', (client) =>
      client.query(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [template]),
    );
    expect(comment.rows).toEqual([{ c: null }]);
  });

  it('copies new tenants from its own template, never from a database of the template’s name it did not create', async () => {
    const database = await newTenantFromTemplate();
    expect(await tablesOf(database)).toContain('notes');
    expect(await tablesOf(database)).not.toContain('intruder');
  });

  it('keeps copying its own template once the shared name is free again, building no second template of the version', async () => {
    // The database this file made under the shared name goes (its owner dropped it): the name is free.
    await onDatabase('postgres', (client) => client.query(`DROP DATABASE ${template} WITH (FORCE)`));
    const database = await newTenantFromTemplate();
    expect(await columnsOfNotes(database)).toContain('probe');
    const own = await ownTemplate();
    const templates = await onDatabase('postgres', (client) =>
      client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[template, own]]),
    );
    expect(templates.rows).toEqual([{ datname: own }]);
  });
});

async function tablesOf(database: string): Promise<string[]> {
  const result = await onDatabase(database, (client) =>
    client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`),
  );
  return result.rows.map((row: { tablename: string }) => row.tablename);
}

async function columnsOfNotes(database: string): Promise<string[]> {
  const result = await onDatabase(database, (client) =>
    client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'notes'`),
  );
  return result.rows.map((row: { column_name: string }) => row.column_name);
}

async function onDatabase<T>(database: string, action: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
