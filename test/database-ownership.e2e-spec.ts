import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TenantDatabaseFactory } from '../src/control-plane/placement/tenant-database.factory';
import { adminToken, registerTenant, tenantAdminSession, waitForProvisioning } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The control plane creates, adopts and drops only databases and roles whose ownership mark
 * (a COMMENT naming this control plane's id) proves it made them, whatever their names say.
 */
describe('database ownership', () => {
  const noRetries = { PROVISIONING_RETRY_LIMIT: '0', TENANT_RETENTION_DAYS: '0' };
  let t: TestApp;
  let admin: string;
  const strangers: string[] = [];

  beforeAll(async () => {
    // This app only serves the API, so a test can prepare a name collision before any worker provisions;
    // provisioning jobs get no retries (every app defines the queue so), so a refused step fails the tenant at once.
    t = await startTestApp({ env: { QUEUE_WORKER: 'false', ...noRetries } });
    admin = await adminToken(t.api);
  });
  afterAll(async () => {
    await onServer(async (client) => {
      for (const name of strangers) {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${name}_app`);
        await client.query(`DROP ROLE IF EXISTS ${name}`);
      }
    });
    await t.close();
  });

  /** A worker app on the same control plane, started only once the test has laid its trap. */
  async function withWorker<T>(action: () => Promise<T>): Promise<T> {
    const worker = await startTestApp({ databaseUrl: t.databaseUrl, env: noRetries });
    try {
      return await action();
    } finally {
      await worker.stop();
    }
  }

  async function controlPlaneId(): Promise<string> {
    return (await t.sql('SELECT id FROM control_plane_identity'))[0].id;
  }

  describe('POST /control/tenant-pools', () => {
    it('refuses with 409 a pool whose database name is taken by a database it did not create, leaving it, its data and its sessions untouched', async () => {
      const name = `p${randomBytes(5).toString('hex')}`;
      const database = `tenantry_pool_${name}`;
      strangers.push(database);
      await onServer((client) => client.query(`CREATE DATABASE ${database}`));
      // Someone else's session works in that database, holding a lock on its table.
      const someoneElse = new Client({ connectionString: urlOf(database) });
      await someoneElse.connect();
      try {
        await someoneElse.query(`CREATE TABLE precious (id int PRIMARY KEY, note text); INSERT INTO precious VALUES (1, 'keep me')`);
        await someoneElse.query('BEGIN');
        await someoneElse.query('LOCK TABLE precious IN ACCESS EXCLUSIVE MODE');

        const response = await t.api.post(
          '/control/tenant-pools',
          { name, databaseServerId: t.databaseServerId, maxTenants: 10 },
          { token: admin },
        );

        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({
          statusCode: 409,
          error: 'Conflict',
          message: expect.stringContaining(`database ${database} exists and was not created by this control plane`),
        });
        expect((await someoneElse.query('SELECT note FROM precious')).rows).toEqual([{ note: 'keep me' }]);
        await someoneElse.query('COMMIT');
      } finally {
        await someoneElse.end();
      }
      await onDatabase(database, async (client) => {
        expect((await client.query('SELECT tablename FROM pg_tables WHERE schemaname = $1', ['public'])).rows).toEqual([
          { tablename: 'precious' },
        ]);
      });
      await onServer(async (client) => {
        expect(
          (
            await client.query('SELECT shobj_description(oid, $2) AS comment FROM pg_database WHERE datname = $1', [
              database,
              'pg_database',
            ])
          ).rows,
        ).toEqual([{ comment: null }]);
        expect((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [`${database}_app`])).rows).toEqual([]);
      });
      expect(await t.sql('SELECT 1 FROM tenant_pools WHERE name = $1', [name])).toEqual([]);
    });

    it('refuses with 409 a pool whose role name is taken by a role it did not create, keeping that role’s password and creating nothing', async () => {
      const name = `p${randomBytes(5).toString('hex')}`;
      const database = `tenantry_pool_${name}`;
      strangers.push(database);
      const passwordOf = async () =>
        onServer(
          async (client) =>
            (await client.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [`${database}_app`])).rows[0].rolpassword,
        );
      await onServer((client) => client.query(`CREATE ROLE ${database}_app LOGIN PASSWORD 'theirs'`));
      const before = await passwordOf();

      const response = await t.api.post(
        '/control/tenant-pools',
        { name, databaseServerId: t.databaseServerId, maxTenants: 10 },
        { token: admin },
      );

      expect(response.status).toBe(409);
      expect(response.body.message).toContain(`role ${database}_app exists and was not created by this control plane`);
      expect(await passwordOf()).toBe(before);
      await onServer(async (client) =>
        expect((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rows).toEqual([]),
      );
    });

    it('marks the database and role of a pool it creates with this control plane’s id and the pool’s id', async () => {
      const name = `p${randomBytes(5).toString('hex')}`;
      const response = await t.api.post(
        '/control/tenant-pools',
        { name, databaseServerId: t.databaseServerId, maxTenants: 10 },
        { token: admin },
      );
      expect(response.status).toBe(201);
      const mark = `tenantry:${await controlPlaneId()}:pool:${response.body.id}`;
      expect(await commentsOf(`tenantry_pool_${name}`)).toEqual({ database: mark, role: mark });
    });
  });

  describe('purging a pooled tenant', () => {
    it('refuses (409) to delete its rows from a pool database that no longer carries this pool’s mark, deleting nothing', async () => {
      const poolName = `p${randomBytes(5).toString('hex')}`;
      const created = await t.api.post(
        '/control/tenant-pools',
        { name: poolName, databaseServerId: t.databaseServerId, maxTenants: 10 },
        { token: admin },
      );
      const database = `tenantry_pool_${poolName}`;
      const { token, tenant } = await withWorker(() =>
        tenantAdminSession(t.api, admin, { placement: 'pooled', tenantPoolId: created.body.id }),
      );
      expect((await t.api.post('/api/notes', { title: 'kept' }, { token })).status).toBe(201);
      await t.api.delete(`/control/tenants/${tenant.id}`, { token: admin });
      await onServer((client) => client.query(`COMMENT ON DATABASE ${database} IS 'tenantry:${randomUUID()}:pool:${created.body.id}'`));

      const purge = await t.api.post(`/control/tenants/${tenant.id}/purge`, undefined, { token: admin });

      expect(purge.status).toBe(409);
      expect(purge.body.message).toBe(`database ${database} exists and was not created by this control plane; not touching it`);
      const notes = await onDatabase(database, (client) =>
        client.query('SELECT count(*)::int AS n FROM notes WHERE tenant_id = $1', [tenant.id]),
      );
      expect(notes.rows).toEqual([{ n: 1 }]);
    });
  });

  describe('provisioning a dedicated tenant', () => {
    it('fails the database step with a clear reason when the tenant’s database name is taken by a database it did not create, leaving its data', async () => {
      const { tenant } = await registerTenant(t.api, admin, { placement: 'dedicated' });
      const database = `tenant_${tenant.id.replaceAll('-', '')}`;
      strangers.push(database);
      await onServer((client) => client.query(`CREATE DATABASE ${database}`));
      await onDatabase(database, (client) => client.query(`CREATE TABLE precious (note text); INSERT INTO precious VALUES ('keep me')`));

      const failed = await withWorker(() => waitForProvisioning(t.api, admin, tenant.id));

      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toBe(`database: database ${database} exists and was not created by this control plane; not touching it`);
      await onDatabase(database, async (client) =>
        expect((await client.query('SELECT note FROM precious')).rows).toEqual([{ note: 'keep me' }]),
      );
      await onServer(async (client) =>
        expect((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [`${database}_app`])).rows).toEqual([]),
      );
    });

    it('refuses a database this control plane created for another tenant', async () => {
      const { tenant } = await registerTenant(t.api, admin, { placement: 'dedicated' });
      const database = `tenant_${tenant.id.replaceAll('-', '')}`;
      strangers.push(database);
      const otherTenant = randomUUID();
      await onServer((client) => client.query(`CREATE DATABASE ${database}`));
      await onServer(async (client) =>
        client.query(`COMMENT ON DATABASE ${database} IS 'tenantry:${await controlPlaneId()}:tenant:${otherTenant}'`),
      );

      const failed = await withWorker(() => waitForProvisioning(t.api, admin, tenant.id));

      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toBe(
        `database: database ${database} was created by this control plane for tenant ${otherTenant}; not touching it`,
      );
    });

    it('finishes a tenant whose database and role an interrupted attempt of this control plane already created (idempotent retry)', async () => {
      const { tenant } = await registerTenant(t.api, admin, { placement: 'dedicated' });
      const database = `tenant_${tenant.id.replaceAll('-', '')}`;
      // What an attempt killed right after creating the database leaves: database and role, marked, no tenant row pointing at them yet.
      await t.app
        .get(TenantDatabaseFactory)
        .ensure(t.databaseServerId, database, `${database}_app`, 'an-earlier-password', { kind: 'tenant', ownerId: tenant.id });

      const provisioned = await withWorker(() => waitForProvisioning(t.api, admin, tenant.id));

      expect(provisioned.status).toBe('active');
      expect(provisioned.provisioning.find((step) => step.step === 'database')?.detail).toMatch(/\(existing\)/);
      const mark = `tenantry:${await controlPlaneId()}:tenant:${tenant.id}`;
      expect(await commentsOf(database)).toEqual({ database: mark, role: mark });
    });
  });

  describe('databases created before ownership marks existed', () => {
    it('marks, once at start-up, the unmarked databases and roles its own rows reference, leaving any other comment alone', async () => {
      const name = `p${randomBytes(5).toString('hex')}`;
      const pool = (
        await t.api.post('/control/tenant-pools', { name, databaseServerId: t.databaseServerId, maxTenants: 10 }, { token: admin })
      ).body;
      const database = `tenantry_pool_${name}`;
      // As an earlier release left them: no mark on the database; someone else's comment on the role.
      await onServer((client) => client.query(`COMMENT ON DATABASE ${database} IS NULL; COMMENT ON ROLE ${database}_app IS 'hands off'`));
      await t.sql('UPDATE control_plane_identity SET legacy_marks_pending = true');

      const restarted = await startTestApp({ databaseUrl: t.databaseUrl, env: { QUEUE_WORKER: 'false', ...noRetries } });
      await restarted.stop();

      expect(await commentsOf(database)).toEqual({ database: `tenantry:${await controlPlaneId()}:pool:${pool.id}`, role: 'hands off' });
      expect(await t.sql('SELECT legacy_marks_pending FROM control_plane_identity')).toEqual([{ legacy_marks_pending: false }]);
    });
  });

  describe('orphan databases and roles', () => {
    it('lists and removes only this control plane’s own unowned objects, never another control plane’s or unmarked ones', async () => {
      const own = `tenant_${randomBytes(16).toString('hex')}`;
      const foreign = `tenant_${randomBytes(16).toString('hex')}`;
      const unmarked = `tenant_${randomBytes(16).toString('hex')}`;
      strangers.push(own, foreign, unmarked);
      const ownMark = `tenantry:${await controlPlaneId()}:tenant:${randomUUID()}`;
      const foreignMark = `tenantry:${randomUUID()}:tenant:${randomUUID()}`;
      await onServer(async (client) => {
        for (const [name, mark] of [
          [own, ownMark],
          [foreign, foreignMark],
          [unmarked, null],
        ] as const) {
          await client.query(`CREATE DATABASE ${name}`);
          await client.query(`CREATE ROLE ${name}_app`);
          if (mark) await client.query(`COMMENT ON DATABASE ${name} IS '${mark}'; COMMENT ON ROLE ${name}_app IS '${mark}'`);
        }
      });

      const reports = (await t.api.get('/control/provisioning/orphans', { token: admin })).body;
      const report = reports.find((entry: { databaseServerId: string }) => entry.databaseServerId === t.databaseServerId);
      expect(report.databases).toContain(own);
      expect(report.roles).toContain(`${own}_app`);
      expect(report.databases).not.toContain(foreign);
      expect(report.roles).not.toContain(`${foreign}_app`);
      expect(report.databases).not.toContain(unmarked);
      expect(report.roles).not.toContain(`${unmarked}_app`);
      const pool = (await t.sql('SELECT database_name FROM tenant_pools WHERE id = $1', [t.tenantPoolId]))[0].database_name;
      expect(report.databases).not.toContain(pool);

      const removed = await t.api.post(
        '/control/provisioning/orphans/remove',
        {
          databaseServerId: t.databaseServerId,
          databases: [own, foreign, unmarked, pool],
          roles: [`${own}_app`, `${foreign}_app`, `${unmarked}_app`],
        },
        { token: admin },
      );

      expect(removed.body).toEqual({ databaseServerId: t.databaseServerId, databases: [own], roles: [`${own}_app`] });
      await onServer(async (client) => {
        const databases = (
          await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [[own, foreign, unmarked, pool]])
        ).rows;
        expect(databases.map((row) => row.datname).sort()).toEqual([foreign, unmarked, pool].sort());
        const roles = (
          await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[`${own}_app`, `${foreign}_app`, `${unmarked}_app`]])
        ).rows;
        expect(roles.map((row) => row.rolname).sort()).toEqual([`${foreign}_app`, `${unmarked}_app`].sort());
      });
    });
  });
});

function adminUrl(): string {
  return process.env.TENANTRY_TEST_ADMIN_URL!;
}

function urlOf(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(action: (client: Client) => Promise<T>): Promise<T> {
  return onDatabase(new URL(adminUrl()).pathname.slice(1) || 'postgres', action);
}

async function onDatabase<T>(database: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlOf(database) });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

async function commentsOf(database: string): Promise<{ database: string | null; role: string | null }> {
  return onServer(async (client) => {
    const [row] = (
      await client.query(
        `SELECT shobj_description(d.oid, 'pg_database') AS database, (SELECT shobj_description(r.oid, 'pg_authid') FROM pg_roles r WHERE r.rolname = $2) AS role
           FROM pg_database d WHERE d.datname = $1`,
        [database, `${database}_app`],
      )
    ).rows;
    return row;
  });
}
