import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { formatOwnershipMark } from '../libs/tenancy/ownership-mark';
import { MIGRATION_LOCK_KEY } from '../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { FleetMigrationService } from '../src/control-plane/fleet-migrations/fleet-migration.service';
import { adminToken, createTenant } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

/** The next release's tenant migration: harmless, so every database can take it. */
class NoteColour1799100000000 implements MigrationInterface {
  name = 'NoteColour1799100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes ADD COLUMN colour varchar(20)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes DROP COLUMN colour`);
  }
}

const OLD_VERSION = TENANT_MIGRATIONS.at(-1)!.name;
const NEW_VERSION = 'NoteColour1799100000000';
const TERMINAL = ['succeeded', 'incomplete', 'failed', 'interrupted'];

/** Fleet runs after a killed run: a lock its session still holds, its row left `running`, its scratch database. */
describe('fleet migrations after a killed run', () => {
  let app: TestApp;
  let admin: string;
  const tenants: Array<{ id: string; slug: string; database: string }> = [];

  beforeAll(async () => {
    const current = await startTestApp();
    const currentAdmin = await adminToken(current.api);
    for (let i = 0; i < 3; i += 1) {
      const tenant = await createTenant(current.api, currentAdmin, { placement: 'dedicated' });
      const [{ database_name: database }] = await current.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
      tenants.push({ id: tenant.id, slug: tenant.slug, database });
    }
    await current.stop();
    app = await startTestApp({
      databaseUrl: current.databaseUrl,
      tenantMigrations: [...TENANT_MIGRATIONS, NoteColour1799100000000],
      env: { FLEET_HEARTBEAT_SECONDS: '1', FLEET_STALE_AFTER_SECONDS: '3', FLEET_LOCK_WAIT_SECONDS: '4' },
    });
    admin = await adminToken(app.api);
  }, 120_000);
  afterAll(() => app.close());

  const versionOf = async (tenantId: string) =>
    (await app.sql('SELECT schema_version FROM tenants WHERE id = $1', [tenantId]))[0].schema_version;

  /** A run row as a runner killed mid-run leaves it: `running`, heartbeat long stale. */
  const deadRun = async (unfinished: string[]) => {
    const [{ id }] = await app.sql(
      `INSERT INTO fleet_migration_runs (status, target_version, options, started_at, heartbeat_at)
       VALUES ('running', $1, '{"concurrency": 4}', now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
      [NEW_VERSION],
    );
    for (const key of unfinished) {
      await app.sql(
        `INSERT INTO fleet_migration_targets (run_id, target, kind, label, status) VALUES ($1, $2, 'dedicated', $2, 'pending')`,
        [id, key],
      );
    }
    return id as string;
  };

  it('marks a run whose heartbeat went stale interrupted, and the next run (even one for another tenant) resumes what it left unfinished', async () => {
    const [untouched, unfinished, requested] = tenants;
    const dead = await deadRun([`tenant:${unfinished.id}`]);

    const run = await runOverHttp(app.api, admin, { tenant: requested.slug });
    expect(run.status).toBe('succeeded');
    const migrated = run.targets
      .filter((target: { status: string }) => target.status === 'migrated')
      .map((target: { label: string }) => target.label);
    expect(migrated.sort()).toEqual([requested.slug, unfinished.slug].sort());

    const interrupted = (await app.api.get(`/control/migrations/${dead}`, { token: admin })).body;
    expect(interrupted).toMatchObject({ status: 'interrupted', resumedBy: run.id });
    expect(await versionOf(unfinished.id)).toBe(NEW_VERSION);
    expect(await versionOf(requested.id)).toBe(NEW_VERSION);
    expect(await versionOf(untouched.id)).toBe(OLD_VERSION);
  }, 60_000);

  it('drops the scratch template database an interrupted run recorded and marked, and leaves an unrecorded one with the same prefix alone', async () => {
    const recorded = `tenantry_tpl_build_${randomBytes(6).toString('hex')}`;
    const foreign = `tenantry_tpl_build_${randomBytes(6).toString('hex')}`;
    const [{ id: controlPlaneId }] = await app.sql('SELECT id FROM control_plane_identity');
    const mark = formatOwnershipMark({ controlPlaneId, kind: 'template', ownerId: 'v1' });
    await onDatabase('postgres', async (client) => {
      await client.query(`CREATE DATABASE ${recorded}`);
      await client.query(`COMMENT ON DATABASE ${recorded} IS '${mark}'`);
      await client.query(`CREATE DATABASE ${foreign}`);
    });
    const dead = await deadRun([]);
    await app.sql(`INSERT INTO fleet_migration_scratch_databases (run_id, database_server_id, database_name) VALUES ($1, $2, $3)`, [
      dead,
      app.databaseServerId,
      recorded,
    ]);

    const run = await runOverHttp(app.api, admin, { tenant: tenants[1].slug });
    expect(run.status).toBe('succeeded');
    const left = await onDatabase('postgres', (client) =>
      client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[recorded, foreign]]),
    );
    expect(left.rows).toEqual([{ datname: foreign }]);
    expect(await app.sql('SELECT 1 FROM fleet_migration_scratch_databases WHERE database_name = $1', [recorded])).toEqual([]);
    await onDatabase('postgres', (client) => client.query(`DROP DATABASE ${foreign}`));
  }, 60_000);

  it('reports a database still locked by a dead run’s session as skipped after the bounded wait: the run is incomplete, never succeeded', async () => {
    const locked = tenants[0];
    const holder = await connectTo(locked.database);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const run = await runOverHttp(app.api, admin, {});
      // The wait (4 s) outlasts the staleness (3 s): only the heartbeat keeps the live run from being declared dead.
      expect(run.status).toBe('incomplete');
      expect(run.counts).toMatchObject({ skipped: 1, failed: 0, pending: 0 });
      const skipped = run.targets.find((target: { status: string }) => target.status === 'skipped');
      expect(skipped).toMatchObject({ label: locked.slug, kind: 'dedicated' });
      expect(skipped.error).toMatch(/locked by another runner/);
      expect(await versionOf(locked.id)).toBe(OLD_VERSION);
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('migrates what an incomplete run skipped on the next run once the lock is free, even a run started for another tenant', async () => {
    const [incomplete] = await app.sql(`SELECT id FROM fleet_migration_runs WHERE status = 'incomplete' ORDER BY created_at DESC LIMIT 1`);
    const rerun = await runOverHttp(app.api, admin, { tenant: tenants[2].slug });
    expect(rerun.status).toBe('succeeded');
    expect(rerun.targets.find((target: { label: string }) => target.label === tenants[0].slug)).toMatchObject({
      status: 'migrated',
      applied: [NEW_VERSION],
    });
    expect(await versionOf(tenants[0].id)).toBe(NEW_VERSION);
    expect((await app.api.get(`/control/migrations/${incomplete.id}`, { token: admin })).body.resumedBy).toBe(rerun.id);
  }, 60_000);

  it('starts no further database once its job’s time is up: the run ends incomplete and leaves the rest pending for the next run', async () => {
    const fleet = app.app.get(FleetMigrationService);
    const created = await fleet.createRun({ concurrency: 1 }, null);
    const jobTime = new AbortController();

    await fleet.execute(created.id, () => jobTime.abort(new Error('job expired')), jobTime.signal);

    const { run, targets } = await fleet.get(created.id);
    expect(run.status).toBe('incomplete');
    expect(targets.filter((target) => target.status !== 'pending')).toHaveLength(1);
    expect(targets.filter((target) => target.status === 'pending')).toHaveLength(targets.length - 1);
  }, 60_000);
});

async function runOverHttp(api: HttpClient, token: string, body: object) {
  const started = await api.post('/control/migrations', body, { token });
  expect(started.status).toBe(202);
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const run = (await api.get(`/control/migrations/${started.body.id}`, { token })).body;
    if (TERMINAL.includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fleet migration ${started.body.id} did not finish within 45 s`);
}

async function connectTo(database: string): Promise<Client> {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

async function onDatabase<T>(database: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectTo(database);
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
