import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { FleetMigrationService } from '../src/control-plane/fleet-migrations/fleet-migration.service';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { templateName } from '../src/control-plane/placement/tenant-database.factory';
import { adminToken, createTenant, loginAs } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

/** A release's new tenant migration: additive, plus a constraint that fails where the data breaks it. */
class NotePriority1799000000000 implements MigrationInterface {
  name = 'NotePriority1799000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes ADD COLUMN priority integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE INDEX notes_priority_idx ON notes (tenant_id, priority)`);
    await queryRunner.query(`ALTER TABLE notes ADD CONSTRAINT notes_title_not_poison CHECK (title <> 'poison')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes DROP CONSTRAINT notes_title_not_poison`);
    await queryRunner.query(`DROP INDEX notes_priority_idx`);
    await queryRunner.query(`ALTER TABLE notes DROP COLUMN priority`);
  }
}

const NEXT_RELEASE = [...TENANT_MIGRATIONS, NotePriority1799000000000];
const NEW_VERSION = 'NotePriority1799000000000';

interface Tenant {
  id: string;
  slug: string;
  token: string;
}

describe('fleet migrations', () => {
  let current: TestApp;
  let next: TestApp;
  let admin: string;
  const poisoned: Tenant[] = [];
  const healthy: Tenant[] = [];

  beforeAll(async () => {
    // Today's release: 2 tenants whose data the next migration rejects (the oldest, so a canary meets them), then 28 more.
    current = await startTestApp();
    const currentAdmin = await adminToken(current.api);
    const make = async (placement: string, poison: boolean) => {
      const tenant = await createTenant(current.api, currentAdmin, { placement });
      const token = (await loginAs(current.api, tenant.admin.email, tenant.admin.password)).accessToken;
      await current.api.post('/api/notes', { title: poison ? 'poison' : 'fine' }, { token });
      (poison ? poisoned : healthy).push({ id: tenant.id, slug: tenant.slug, token });
    };
    for (let i = 0; i < 2; i += 1) await make('dedicated', true);
    for (let i = 0; i < 24; i += 1) await make('dedicated', false);
    for (let i = 0; i < 4; i += 1) await make('pooled', false);
    await current.stop();
    // The next release on the same control plane.
    next = await startTestApp({ databaseUrl: current.databaseUrl, tenantMigrations: NEXT_RELEASE });
    admin = await adminToken(next.api);
  }, 240_000);
  afterAll(() => next.close());

  const versions = async (ids: string[]) =>
    (await next.sql('SELECT schema_version FROM tenants WHERE id = ANY($1)', [ids])).map(
      (row: { schema_version: string }) => row.schema_version,
    );

  it('answers 503 with Retry-After for a tenant whose database is behind the release', async () => {
    const response = await next.api.get('/api/notes', { token: healthy[0].token });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.body.message).toMatch(/is being upgraded/);
  });

  it('lists in a dry run what would run where, changing nothing', async () => {
    const run = await runOverHttp(next.api, admin, { dryRun: true });
    expect(run.status).toBe('succeeded');
    const databases = run.targets.filter((target: { kind: string }) => target.kind !== 'template');
    expect(databases).toHaveLength(27);
    for (const target of databases) expect(target).toMatchObject({ status: 'pending', applied: [NEW_VERSION] });
    expect(new Set(await versions(healthy.map((tenant) => tenant.id)))).toEqual(new Set([TENANT_MIGRATIONS.at(-1)!.name]));
  });

  it('stops after a failing canary without touching the rest', async () => {
    const run = await runOverHttp(next.api, admin, { canary: 3, concurrency: 1 });
    expect(run.status).toBe('failed');
    expect(run.counts).toMatchObject({ failed: 2, migrated: 1 });
    expect(run.counts.skipped).toBe(run.targets.length - 3);
    const skipped = run.targets.find((target: { status: string }) => target.status === 'skipped');
    expect(skipped.error).toMatch(/canary failed/);
  });

  it('never lets two runners migrate the same database, upgrades the healthy ones and records the failing ones with their error', async () => {
    const fleet = next.app.get(FleetMigrationService);
    const runs = await Promise.all([fleet.createRun({ concurrency: 4 }, null), fleet.createRun({ concurrency: 4 }, null)]);
    await Promise.all(runs.map((run) => fleet.execute(run.id)));
    const [first, second] = await Promise.all(runs.map((run) => fleet.get(run.id)));

    for (const target of first.targets.filter((entry) => entry.kind !== 'template')) {
      const other = second.targets.find((entry) => entry.target === target.target)!;
      const migratedBy = [target, other].filter((entry) => entry.status === 'migrated').length;
      expect(migratedBy).toBeLessThanOrEqual(1);
    }
    expect(new Set(await versions(healthy.map((tenant) => tenant.id)))).toEqual(new Set([NEW_VERSION]));
    expect(new Set(await versions(poisoned.map((tenant) => tenant.id)))).toEqual(new Set([TENANT_MIGRATIONS.at(-1)!.name]));
    const failures = [...first.targets, ...second.targets].filter((entry) => entry.status === 'failed');
    expect(new Set(failures.map((entry) => entry.label))).toEqual(new Set(poisoned.map((tenant) => tenant.slug)));
    expect(failures[0].error).toMatch(/notes_title_not_poison/);

    const upgraded = await next.api.get('/api/notes', { token: healthy[0].token });
    expect(upgraded.status).toBe(200);
    expect((await next.api.get('/api/notes', { token: poisoned[0].token })).status).toBe(503);
  });

  it('completes the failed tenants on a rerun once their data is fixed, and keeps the template current for new tenants', async () => {
    for (const tenant of poisoned) {
      const [{ database_name: database }] = await next.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
      await onDatabase(database, (client) => client.query(`UPDATE notes SET title = 'cured' WHERE title = 'poison'`));
    }
    const rerun = await runOverHttp(next.api, admin, {});
    expect(rerun.status).toBe('succeeded');
    expect(rerun.counts).toMatchObject({ failed: 0, migrated: 2 });
    expect(new Set(await versions([...poisoned, ...healthy].map((tenant) => tenant.id)))).toEqual(new Set([NEW_VERSION]));
    expect((await next.api.get('/api/notes', { token: poisoned[0].token })).status).toBe(200);

    const fresh = await createTenant(next.api, admin, { placement: 'dedicated' });
    const detail = (await next.api.get(`/control/tenants/${fresh.id}`, { token: admin })).body;
    expect(detail.schemaVersion).toBe(NEW_VERSION);
    expect(detail.provisioning.find((step: { step: string }) => step.step === 'database').detail).toMatch(
      new RegExp(`\\(template\\) at ${NEW_VERSION}`),
    );
    const template = await onDatabase('postgres', (client) =>
      client.query('SELECT datallowconn FROM pg_database WHERE datname = $1', [templateName(NEW_VERSION)]),
    );
    expect(template.rows).toEqual([{ datallowconn: false }]);
  });
});

async function runOverHttp(api: HttpClient, token: string, body: object) {
  const started = await api.post('/control/migrations', body, { token });
  expect(started.status).toBe(202);
  for (;;) {
    const run = (await api.get(`/control/migrations/${started.body.id}`, { token })).body;
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
