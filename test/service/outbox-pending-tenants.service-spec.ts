import { randomBytes, randomUUID } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import { tenantsWithPendingEvents } from '../../libs/tenancy/outbox/outbox-relay';
import { migrateTenantDatabase } from '../../libs/tenancy/tenant-schema-migrator';
import { createScratchDatabase, ScratchDatabase } from '../../libs/tenancy/testing/scratch-database';
import { TENANT_MIGRATIONS } from '../../migrations/tenant';

/**
 * What the outbox sweep may learn of a pooled database, on real PostgreSQL, with the roles a
 * deployment has: an owner that is neither superuser nor BYPASSRLS runs the tenant migrations, the
 * application role gets row access only. Two tenants have events waiting.
 */
const suffix = randomBytes(4).toString('hex');
const owner = `outbox_owner_${suffix}`;
const appRole = `outbox_app_${suffix}`;
const stranger = `outbox_stranger_${suffix}`;
const password = randomBytes(12).toString('hex');
const tenantA = randomUUID();
const tenantB = randomUUID();

let database: ScratchDatabase;
let superuser: Client;
let app: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('outbox_pending_spec');
  superuser = new Client({ connectionString: database.url });
  await superuser.connect();
  for (const role of [owner, appRole]) {
    await superuser.query(`CREATE ROLE ${escapeIdentifier(role)} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${escapeLiteral(password)}`);
  }
  await superuser.query(`CREATE ROLE ${escapeIdentifier(stranger)} NOLOGIN`);
  // The owner of the database owns its public schema (PostgreSQL 15+), where the tenant schema goes.
  await superuser.query(`ALTER DATABASE ${escapeIdentifier(database.name)} OWNER TO ${escapeIdentifier(owner)}`);
  const url = new URL(database.url);
  const target = { host: url.hostname, port: Number(url.port || 5432), database: database.name, password };
  await migrateTenantDatabase({ ...target, user: owner, appRole }, TENANT_MIGRATIONS);
  app = new DataSource({ type: 'postgres', ...target, username: appRole, extra: { max: 1 } });
  await app.initialize();
  for (const [tenantId, count] of [
    [tenantA, 2],
    [tenantB, 1],
  ] as const) {
    await app.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      for (let index = 0; index < count; index += 1) {
        await manager.query(`INSERT INTO outbox_events (type, version, data) VALUES ('note.created', 1, $1)`, [{ index }]);
      }
    });
  }
});

afterAll(async () => {
  await app?.destroy();
  await superuser?.end();
  await database?.drop();
  const admin = new Client({ connectionString: process.env.TENANTRY_TEST_ADMIN_URL });
  await admin.connect();
  for (const role of [owner, appRole, stranger]) await admin.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`);
  await admin.end();
});

/** Rows of the outbox an application-role session sees with the old sweep setting on, bound to `tenantId` or to none. */
async function outboxSeenWithSweepSetting(tenantId: string | null): Promise<Array<{ tenant_id: string }>> {
  return app.transaction(async (manager) => {
    await manager.query(`SELECT set_config('app.outbox_sweep', 'on', true)`);
    if (tenantId) await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return manager.query<Array<{ tenant_id: string }>>('SELECT tenant_id FROM outbox_events');
  });
}

it('no longer shows an application-role session that sets app.outbox_sweep any other tenant’s events', async () => {
  expect(await outboxSeenWithSweepSetting(null)).toEqual([]);
  expect(await outboxSeenWithSweepSetting(tenantB)).toEqual([{ tenant_id: tenantB }]);
  const [{ policies }] = await app.query<Array<{ policies: string[] }>>(
    `SELECT array_agg(policyname::text ORDER BY policyname) AS policies FROM pg_policies WHERE tablename = 'outbox_events'`,
  );
  expect(policies).toEqual(['outbox_owner_reads', 'tenant_isolation']);
});

it('tells the sweep, on the application role, every tenant with events waiting and nothing of the events', async () => {
  expect((await tenantsWithPendingEvents(app)).sort()).toEqual([tenantA, tenantB].sort());
  const answered = await app.query<Array<Record<string, unknown>>>('SELECT * FROM outbox_pending_tenants()');
  expect(answered.map((row) => Object.keys(row))).toEqual([['outbox_pending_tenants'], ['outbox_pending_tenants']]);
});

it('refuses a role it was not granted to (EXECUTE is not PUBLIC), and runs as the owner with its search_path pinned', async () => {
  await superuser.query('BEGIN');
  try {
    await superuser.query(`SET LOCAL ROLE ${escapeIdentifier(stranger)}`);
    await expect(superuser.query('SELECT * FROM outbox_pending_tenants()')).rejects.toMatchObject({ code: '42501' });
  } finally {
    await superuser.query('ROLLBACK');
  }
  const [definition] = (
    await superuser.query<{ definer: boolean; config: string[]; owner: string }>(
      `SELECT prosecdef AS definer, proconfig AS config, proowner::regrole::text AS owner FROM pg_proc WHERE proname = 'outbox_pending_tenants'`,
    )
  ).rows;
  expect(definition).toEqual({ definer: true, config: ['search_path=pg_catalog, pg_temp'], owner });
});
