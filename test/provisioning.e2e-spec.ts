import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  acceptInvitation,
  addMember,
  adminToken,
  createTenant,
  createUser,
  loginAs,
  registerTenant,
  unique,
  waitForProvisioning,
} from './support/factories';
import { Mailbox } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** Tenant lifecycle through the provisioning queue (real PostgreSQL, real pg-boss). */
/** A server admin without superuser rights whose CREATEDB the tests take away and give back. */
const limitedRole = `limited_${randomBytes(4).toString('hex')}`;

describe('provisioning', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { PROVISIONING_RETRY_LIMIT: '1', PROVISIONING_RETRY_DELAY_SECONDS: '1', TENANT_RETENTION_DAYS: '0' } });
    admin = await adminToken(t.api);
  });
  // After the tenant databases it owns are gone (see "a failing step").
  afterAll(async () => {
    await t.close();
    await onAdmin((client) => client.query(`DROP ROLE IF EXISTS ${limitedRole}`));
  });

  describe.each(['pooled', 'dedicated'])('a %s tenant', (placement) => {
    it('answers 202 provisioning, becomes active with every step timed, and its admin can log in and use the tenant API', async () => {
      const { tenant, admin: owner } = await registerTenant(t.api, admin, { placement, plan: 'professional' });
      expect(tenant.status).toBe('provisioning');

      const provisioned = await waitForProvisioning(t.api, admin, tenant.id);
      expect(provisioned.status).toBe('active');
      expect(provisioned.provisioning.map((step) => step.step)).toEqual(['place', 'database', 'defaults', 'admin', 'activate']);
      for (const step of provisioned.provisioning) {
        expect(['succeeded', 'skipped']).toContain(step.status);
        expect(step.durationMs).toBeGreaterThanOrEqual(0);
      }
      expect(provisioned).toMatchObject({
        enabledModules: expect.arrayContaining(['deals', 'inventory']),
        settings: { currency: 'USD', timezone: 'UTC' },
      });

      await acceptInvitation(t.api, owner.email, owner.password);

      const login = await loginAs(t.api, owner.email, owner.password);
      expect(login.tenant?.id).toBe(tenant.id);
      expect(login.roles).toEqual(['tenant_admin']);
      const note = await t.api.post('/api/notes', { title: 'first note' }, { token: login.accessToken });
      expect(note.status).toBe(201);
      const steps = await t.api.get(`/control/audit?tenantId=${tenant.id}&action=tenant.provision.database`, { token: admin });
      expect(steps.body.items[0].changes).toMatchObject({ attempt: 1, durationMs: expect.any(Number) });
    });
  });

  it('copies new dedicated databases from the template database of the current schema', async () => {
    const tenant = await createTenant(t.api, admin, { placement: 'dedicated' });
    const detail = (await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body;
    expect(detail.provisioning.find((step: { step: string }) => step.step === 'database').detail).toMatch(/\(template\)/);
  });

  it('refuses a registration that names its admin wrongly, changing nothing', async () => {
    const existing = await createUser(t.api, admin);
    const before = await t.sql('SELECT count(*)::int AS n FROM tenants');
    const cases: Array<[object, RegExp]> = [
      [{ admin: { email: existing.email, password: 'a-password-for-someone-else' } }, /password should not exist/],
      [{ admin: { email: 'not-an-email' } }, /admin.email must be an email/],
      [{ placement: 'dedicated', tenantPoolId: t.tenantPoolId, admin: { email: existing.email } }, /only a pooled tenant can name a pool/],
    ];
    for (const [body, message] of cases) {
      const response = await t.api.post(
        '/control/tenants',
        { slug: unique('bad'), name: 'Bad', plan: 'starter', placement: 'pooled', ...body },
        { token: admin },
      );
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    expect(await t.sql('SELECT count(*)::int AS n FROM tenants')).toEqual(before);
  });

  it('makes an existing user the admin of a new tenant without touching their password', async () => {
    const existing = await createUser(t.api, admin);
    const tenant = await createTenant(t.api, admin, { admin: { email: existing.email } });
    const login = await loginAs(t.api, existing.email, existing.password, tenant.slug);
    expect(login.roles).toEqual(['tenant_admin']);
  });

  describe('a failing step', () => {
    const role = limitedRole;
    const password = randomBytes(12).toString('hex');
    let serverId: string;

    beforeAll(async () => {
      await onAdmin((client) => client.query(`CREATE ROLE ${role} LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`));
      const server = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
      const registered = await t.api.post(
        '/control/database-servers',
        {
          name: unique('limited'),
          host: server.hostname,
          port: Number(server.port || 5432),
          adminUser: role,
          adminPassword: password,
          maxDatabases: 5,
        },
        { token: admin },
      );
      expect(registered.status).toBe(201);
      serverId = registered.body.id;
    });

    it('is retried, then the tenant is failed with the reason; after the cause is fixed, retry completes it', async () => {
      await onAdmin((client) => client.query(`ALTER ROLE ${role} NOCREATEDB`));
      const { tenant, admin: owner } = await registerTenant(t.api, admin, { placement: 'dedicated', databaseServerId: serverId });

      const failed = await waitForProvisioning(t.api, admin, tenant.id);
      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toMatch(/^database: permission denied to create database/);
      expect(failed.failureReason).not.toContain(password);
      const attempts = failed.provisioning.filter((step) => step.step === 'database');
      expect(attempts.map((step) => step.status)).toEqual(['failed', 'failed']);
      const overview = await t.api.get('/control/provisioning', { token: admin });
      expect(overview.body.failed.map((job: { tenantId: string }) => job.tenantId)).toContain(tenant.id);
      await acceptInvitation(t.api, owner.email, owner.password);
      expect((await t.api.post('/auth/login', { email: owner.email, password: owner.password, tenant: tenant.slug })).status).toBe(403);

      await onAdmin((client) => client.query(`ALTER ROLE ${role} CREATEDB`));
      const retried = await t.api.post(`/control/tenants/${tenant.id}/retry`, undefined, { token: admin });
      expect(retried.status).toBe(202);
      expect(retried.body.status).toBe('provisioning');
      const active = await waitForProvisioning(t.api, admin, tenant.id);
      expect(active.status).toBe('active');
      const lastAttempt = Math.max(...active.provisioning.map((step) => step.attempt));
      expect(active.provisioning.filter((step) => step.attempt === lastAttempt).map((step) => `${step.step}:${step.status}`)).toEqual([
        'place:skipped',
        'database:succeeded',
        'defaults:succeeded',
        'admin:skipped',
        'activate:succeeded',
      ]);
      expect((await t.api.post(`/control/tenants/${tenant.id}/retry`, undefined, { token: admin })).status).toBe(409);
    });
  });

  describe('self-service registration', () => {
    it('creates the account and the tenant only when the mailed link is followed, and never says whether an e-mail has an account', async () => {
      const email = `${unique('signup')}@example.test`;
      const registered = await t.api.post('/auth/register', {
        company: 'Ünïcode & Sons, Ltd.',
        email,
        password: 'a-long-enough-password',
        plan: 'starter',
      });
      expect(registered.status).toBe(202);
      expect(await t.sql('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
      const link = Mailbox.tokenIn(await t.mailbox.take(email, /Confirm your e-mail/));
      const verified = await t.api.post('/auth/register/verify', { token: link });
      expect(verified.status).toBe(202);
      expect(verified.body).toMatchObject({ status: 'provisioning', placement: 'pooled', plan: 'starter', name: 'Ünïcode & Sons, Ltd.' });
      expect(verified.body.slug).toMatch(/^unicode-sons-ltd/);
      expect((await waitForProvisioning(t.api, admin, verified.body.id)).status).toBe('active');
      const login = await loginAs(t.api, email, 'a-long-enough-password');
      expect(login.tenant?.id).toBe(verified.body.id);
      expect((await t.api.post('/auth/register/verify', { token: link })).status).toBe(400);

      const again = await t.api.post('/auth/register', {
        company: 'Someone Else',
        email,
        password: 'another-long-password',
        plan: 'starter',
      });
      expect(again.status).toBe(202);
      expect(again.body).toEqual(registered.body);
      expect((await t.mailbox.take(email, /already have/)).text).toMatch(/nothing was created/);
      expect((await loginAs(t.api, email, 'a-long-enough-password')).tenant?.id).toBe(verified.body.id);

      const invalid = await t.api.post('/auth/register', { company: '', email: 'nope', password: 'short', plan: 'Platinum Plan' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
        'company',
        'email',
        'password',
        'plan',
      ]);
      const notOffered = await t.api.post('/auth/register', {
        company: 'Big Co',
        email: `${unique('big')}@example.test`,
        password: 'a-long-enough-password',
        plan: 'enterprise',
      });
      expect(notOffered.status).toBe(400);
      expect(notOffered.body.details).toEqual([{ field: 'plan', problems: ['not offered for self-service'] }]);
    });

    it('limits registrations per client IP with 429 and Retry-After', async () => {
      const register = () =>
        t.api.post('/auth/register', {
          company: 'Spam Inc',
          email: `${unique('spam')}@example.test`,
          password: 'a-long-enough-password',
          plan: 'starter',
        });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await register()).status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      const refused = await register();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('orphan databases and roles', () => {
    it('reports databases and roles of this control plane that no tenant owns, and drops only the named ones that are still orphans', async () => {
      const owned = await createTenant(t.api, admin, { placement: 'dedicated' });
      const [{ database_name: ownedDatabase }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [owned.id]);
      const orphan = `tenant_orphan${randomBytes(6).toString('hex')}`;
      // What a provisioning that died before recording its database leaves: marked as ours, owned by no row.
      const [{ id: controlPlaneId }] = await t.sql('SELECT id FROM control_plane_identity');
      const mark = `tenantry:${controlPlaneId}:tenant:${randomUUID()}`;
      await onAdmin(async (client) => {
        await client.query(`CREATE DATABASE ${orphan}`);
        await client.query(`CREATE ROLE ${orphan}_app`);
        await client.query(`COMMENT ON DATABASE ${orphan} IS '${mark}'; COMMENT ON ROLE ${orphan}_app IS '${mark}'`);
      });

      const reports = (await t.api.get('/control/provisioning/orphans', { token: admin })).body;
      const report = reports.find((entry: { databaseServerId: string }) => entry.databaseServerId === t.databaseServerId);
      expect(report.databases).toContain(orphan);
      expect(report.roles).toContain(`${orphan}_app`);
      expect(report.databases).not.toContain(ownedDatabase);

      const removed = await t.api.post(
        '/control/provisioning/orphans/remove',
        { databaseServerId: t.databaseServerId, databases: [orphan, ownedDatabase], roles: [`${orphan}_app`] },
        { token: admin },
      );
      expect(removed.body).toEqual({ databaseServerId: t.databaseServerId, databases: [orphan], roles: [`${orphan}_app`] });
      await onAdmin(async (client) => {
        expect((await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[orphan, ownedDatabase]])).rows).toEqual([
          { datname: ownedDatabase },
        ]);
      });
    });
  });

  describe('lifecycle', () => {
    it('deletes softly (users refused at once), restores, and purges a dedicated tenant’s database and role only after deletion', async () => {
      const tenant = await createTenant(t.api, admin, { placement: 'dedicated' });
      const login = await loginAs(t.api, tenant.admin.email, tenant.admin.password);
      const [{ database_name: database, database_role: role }] = await t.sql(
        'SELECT database_name, database_role FROM tenants WHERE id = $1',
        [tenant.id],
      );

      expect((await t.api.post(`/control/tenants/${tenant.id}/purge`, undefined, { token: admin })).status).toBe(409);
      const deleted = await t.api.delete(`/control/tenants/${tenant.id}`, { token: admin });
      expect(deleted.body).toMatchObject({ status: 'deleted', purgeAfter: expect.any(String) });
      const refused = await t.api.get('/api/notes', { token: login.accessToken });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('The session has ended');
      expect((await t.api.post(`/control/tenants/${tenant.id}/restore`, undefined, { token: admin })).body.status).toBe('suspended');
      expect((await t.api.delete(`/control/tenants/${tenant.id}`, { token: admin })).status).toBe(200);

      const purged = await t.api.post(`/control/tenants/${tenant.id}/purge`, undefined, { token: admin });
      expect(purged.status).toBe(200);
      expect(purged.body.status).toBe('purged');
      await onAdmin(async (client) => {
        expect((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount).toBe(0);
        expect((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount).toBe(0);
      });
      const actions = (await t.api.get(`/control/audit?targetId=${tenant.id}`, { token: admin })).body.items.map(
        (entry: { action: string }) => entry.action,
      );
      expect(actions.slice(0, 4)).toEqual(['tenant.purge', 'tenant.delete', 'tenant.restore', 'tenant.delete']);
      expect((await t.api.post(`/control/tenants/${tenant.id}/restore`, undefined, { token: admin })).status).toBe(409);
    });

    it('purges a pooled tenant’s rows and leaves its neighbours’ rows alone', async () => {
      const doomed = await createTenant(t.api, admin);
      const neighbour = await createTenant(t.api, admin);
      for (const tenant of [doomed, neighbour]) {
        const login = await loginAs(t.api, tenant.admin.email, tenant.admin.password);
        expect((await t.api.post('/api/notes', { title: `note of ${tenant.slug}` }, { token: login.accessToken })).status).toBe(201);
      }
      await t.api.delete(`/control/tenants/${doomed.id}`, { token: admin });
      const purged = await t.api.post(`/control/tenants/${doomed.id}/purge`, undefined, { token: admin });
      expect(purged.status).toBe(200);

      const neighbourLogin = await loginAs(t.api, neighbour.admin.email, neighbour.admin.password);
      expect((await t.api.get('/api/notes', { token: neighbourLogin.accessToken })).body.items).toHaveLength(1);
      const audit = (await t.api.get(`/control/audit?targetId=${doomed.id}&action=tenant.purge`, { token: admin })).body.items[0];
      expect(audit.changes.deletedRows).toMatchObject({ notes: 1, data_audit: 1 });
    });
  });

  describe('plans and quotas', () => {
    it('enforces the plan’s user quota with a 409 naming it, and lets a platform admin raise it', async () => {
      const tenant = await createTenant(t.api, admin, { plan: 'starter' });
      const original = (await t.api.get('/control/plans/starter', { token: admin })).body;
      expect(original).toMatchObject({ maxUsers: 5, maxContacts: 1000 });
      try {
        expect((await t.api.patch('/control/plans/starter', { maxUsers: 2 }, { token: admin })).body.maxUsers).toBe(2);
        const second = await createUser(t.api, admin);
        const third = await createUser(t.api, admin);
        await addMember(t.api, admin, tenant.id, second.email, 'member');
        const refused = await t.api.post(
          `/control/tenants/${tenant.id}/invitations`,
          { email: third.email, role: 'member' },
          { token: admin },
        );
        expect(refused.status).toBe(409);
        expect(refused.body.message).toMatch(/Quota maxUsers reached: the Starter plan allows 2 users/);

        expect((await t.api.patch('/control/plans/starter', { maxUsers: null }, { token: admin })).body.maxUsers).toBeNull();
        await addMember(t.api, admin, tenant.id, third.email, 'member');
        expect((await t.api.get(`/control/tenants/${tenant.id}/members`, { token: admin })).body).toHaveLength(3);
      } finally {
        await t.api.patch('/control/plans/starter', { maxUsers: original.maxUsers }, { token: admin });
      }
    });

    it('refuses invalid plan changes and changes by anyone but a platform admin', async () => {
      expect((await t.api.patch('/control/plans/starter', { maxUsers: 0 }, { token: admin })).status).toBe(400);
      expect((await t.api.patch('/control/plans/starter', { modules: ['DROP TABLE'] }, { token: admin })).status).toBe(400);
      expect((await t.api.patch('/control/plans/platinum', { maxUsers: 3 }, { token: admin })).status).toBe(404);
      const tenant = await createTenant(t.api, admin);
      const owner = await loginAs(t.api, tenant.admin.email, tenant.admin.password);
      expect((await t.api.patch('/control/plans/starter', { maxUsers: 100 }, { token: owner.accessToken })).status).toBe(403);
    });
  });
});

async function onAdmin<T>(action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TENANTRY_TEST_ADMIN_URL });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
