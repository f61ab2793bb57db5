import { addMember, adminToken, createTenant, createUser, loginAs, tenantWithUsers, unique } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('control plane', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  const auditCount = async () => (await t.sql('SELECT count(*)::int AS n FROM audit_log'))[0].n as number;

  describe('tenants', () => {
    it('enables the new plan’s modules on a plan change and names those still waiting for settings', async () => {
      const tenant = await createTenant(t.api, admin, { plan: 'starter' });
      expect(tenant.enabledModules.sort()).toEqual(['accounts', 'activities', 'contacts', 'notes']);
      const upgraded = await t.api.patch(`/control/tenants/${tenant.id}`, { plan: 'enterprise' }, { token: admin });
      expect(upgraded.status).toBe(200);
      expect(upgraded.body.enabledModules.sort()).toEqual(['accounts', 'activities', 'contacts', 'deals', 'events', 'inventory', 'notes']);
      expect(upgraded.body.modulesAwaitingSettings).toEqual(['invoices']);
      const chosen = await t.api.patch(`/control/tenants/${tenant.id}`, { plan: 'starter', enabledModules: ['notes'] }, { token: admin });
      expect(chosen.body).toMatchObject({ plan: 'starter', enabledModules: ['notes'], modulesAwaitingSettings: [] });
    });

    it('creates, reads, updates, suspends and resumes a tenant, auditing each change with who and from where', async () => {
      const tenant = await createTenant(t.api, admin, { name: 'Acme' });
      expect(tenant.status).toBe('active');

      const updated = await t.api.patch(
        `/control/tenants/${tenant.id}`,
        { name: 'Acme Corp', enabledModules: ['contacts'] },
        { token: admin },
      );
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ name: 'Acme Corp', enabledModules: ['contacts'] });

      expect((await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin })).body.status).toBe('suspended');
      const again = await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/suspended/);
      expect((await t.api.post(`/control/tenants/${tenant.id}/resume`, undefined, { token: admin })).body.status).toBe('active');

      const trail = await t.api.get(`/control/audit?targetId=${tenant.id}`, { token: admin });
      expect(trail.body.items.map((entry: { action: string }) => entry.action)).toEqual([
        'tenant.resume',
        'tenant.suspend',
        'tenant.update',
        'tenant.provision.activate',
        'tenant.activate',
        'tenant.provision.admin',
        'tenant.provision.defaults',
        'tenant.provision.database',
        'tenant.provision.place',
        'tenant.create',
      ]);
      const [update] = trail.body.items.filter((entry: { action: string }) => entry.action === 'tenant.update');
      expect(update.changes.name).toEqual({ from: 'Acme', to: 'Acme Corp' });
      expect(update.actorUserId).toMatch(/[0-9a-f-]{36}/);
      expect(update.requestId).toBeTruthy();
      expect(update.clientIp).toMatch(/127\.0\.0\.1/);
    });

    it('refuses a duplicate slug with 409 naming the field, and writes neither tenant nor audit row', async () => {
      const tenant = await createTenant(t.api, admin);
      const before = await auditCount();
      const response = await t.api.post(
        '/control/tenants',
        { slug: tenant.slug, name: 'Copy', plan: 'starter', placement: 'pooled', admin: { email: `${unique('copy')}@example.test` } },
        { token: admin },
      );
      expect(response.status).toBe(409);
      expect(response.body.details[0].field).toBe('slug');
      expect(await auditCount()).toBe(before);
    });

    it('creates one tenant and enqueues one job when the same slug is sent eight times at once; the others get 409', async () => {
      const slug = unique('race').toLowerCase();
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.api.post(
            '/control/tenants',
            { slug, name: `Race ${i}`, plan: 'starter', placement: 'pooled', admin: { email: `${unique('race')}@example.test` } },
            { token: admin },
          ),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
      const [{ tenants }] = await t.sql('SELECT count(*)::int AS tenants FROM tenants WHERE slug = $1', [slug]);
      expect(tenants).toBe(1);
      const winner = responses.find((response) => response.status === 202)!.body;
      const [{ jobs }] = await t.sql("SELECT count(*)::int AS jobs FROM pgboss.job WHERE data->>'tenantId' = $1", [winner.id]);
      expect(jobs).toBe(1);
    });
    it('answers 404 for an unknown tenant id and 400 for a malformed one', async () => {
      expect((await t.api.get('/control/tenants/00000000-0000-4000-8000-000000000000', { token: admin })).status).toBe(404);
      const malformed = await t.api.get('/control/tenants/not-a-uuid', { token: admin });
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/uuid/);
    });

    it('lists every tenant exactly once across pages, with filters and a literal search', async () => {
      const marker = unique('page').toLowerCase();
      const created = [];
      for (let i = 0; i < 5; i += 1) {
        created.push(await createTenant(t.api, admin, { slug: `${marker}-${i}`, plan: i === 0 ? 'professional' : 'starter' }));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.api.get(
          `/control/tenants?limit=2&search=${marker}${cursor ? `&cursor=${cursor}` : ''}`,
          { token: admin },
        );
        seen.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(created.map((tenant) => tenant.id));
      const onPlan = await t.api.get(`/control/tenants?search=${marker}&plan=professional&status=active&placement=pooled`, {
        token: admin,
      });
      expect(onPlan.body.items.map((tenant: { id: string }) => tenant.id)).toEqual([created[0].id]);
      expect((await t.api.get('/control/tenants?search=%25', { token: admin })).body.items).toEqual([]);
      expect((await t.api.get('/control/tenants?limit=101', { token: admin })).status).toBe(400);
      expect((await t.api.get('/control/tenants?cursor=bogus', { token: admin })).status).toBe(400);
    });
  });

  describe('users and memberships', () => {
    it('opens an invited account with an argon2 hash of the password its holder chose, never returning or auditing it', async () => {
      const user = await createUser(t.api, admin, { password: 'super-secret-password-1' });
      const [row] = await t.sql('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const fetched = await t.api.get(`/control/users/${user.id}`, { token: admin });
      expect(JSON.stringify(fetched.body)).not.toMatch(/password|argon/i);
      const audit = await t.sql('SELECT action, actor_user_id, changes FROM audit_log WHERE target_id = $1', [user.id]);
      expect(JSON.stringify(audit)).not.toContain('super-secret-password-1');
      expect(audit.find((entry) => entry.action === 'user.create').actor_user_id).toBe(user.id);
    });

    it('invites by e-mail case-insensitively, and answers an invitation to an existing account like any other', async () => {
      const user = await createUser(t.api, admin, { email: `${unique('Case')}@Example.TEST` });
      expect(user.email).toBe(user.email.toLowerCase());
      const again = await t.api.post('/control/invitations', { email: user.email.toUpperCase() }, { token: admin });
      const fresh = await t.api.post('/control/invitations', { email: `${unique('fresh')}@example.test` }, { token: admin });
      expect(again.status).toBe(201);
      expect(again.body.email).toBe(user.email);
      expect(Object.keys(again.body).sort()).toEqual(Object.keys(fresh.body).sort());
      expect(
        (
          await t.api.post(
            '/control/users',
            { email: `${unique('x')}@example.test`, password: 'an-admin-chosen-password' },
            { token: admin },
          )
        ).status,
      ).toBe(404);
      const [{ count }] = await t.sql('SELECT count(*)::int AS count FROM users WHERE email = $1', [user.email]);
      expect(count).toBe(1);
    });

    it('adds a user to several tenants with different roles, changes a role and removes a membership', async () => {
      const user = await createUser(t.api, admin);
      const a = await createTenant(t.api, admin);
      const b = await createTenant(t.api, admin);
      await addMember(t.api, admin, a.id, user.email, 'member');
      await addMember(t.api, admin, b.id, user.email, 'member');
      const changed = await addMember(t.api, admin, b.id, user.email, 'tenant_admin');
      expect(changed.role).toBe('tenant_admin');
      expect((await t.api.get(`/control/tenants/${b.id}/members`, { token: admin })).body).toEqual([
        expect.objectContaining({ userId: b.admin.id, role: 'tenant_admin' }),
        expect.objectContaining({ userId: user.id, role: 'tenant_admin' }),
      ]);
      expect((await t.api.delete(`/control/tenants/${a.id}/members/${user.id}`, { token: admin })).status).toBe(204);
      expect((await t.api.delete(`/control/tenants/${a.id}/members/${user.id}`, { token: admin })).status).toBe(404);
      const lastAdmin = await t.api.delete(`/control/tenants/${a.id}/members/${a.admin.id}`, { token: admin });
      expect(lastAdmin.status).toBe(409);
      expect(lastAdmin.body.message).toMatch(/last tenant admin/);
      expect((await t.api.patch(`/control/tenants/${a.id}/members/${a.admin.id}`, { role: 'member' }, { token: admin })).status).toBe(409);
      const notMember = await t.api.patch(`/control/tenants/${a.id}/members/${user.id}`, { role: 'member' }, { token: admin });
      expect(notMember.status).toBe(404);
      expect((await t.api.put(`/control/tenants/${a.id}/members`, { email: user.email, role: 'member' }, { token: admin })).status).toBe(
        404,
      );
    });
  });

  describe('super admins', () => {
    it('administer only their assigned tenants and nothing else of the platform', async () => {
      const assigned = await createTenant(t.api, admin);
      const other = await createTenant(t.api, admin);
      const user = await createUser(t.api, admin);
      const role = await t.api.put(
        `/control/users/${user.id}/platform-role`,
        { role: 'super_admin', tenantIds: [assigned.id] },
        { token: admin },
      );
      expect(role.body.superAdminTenantIds).toEqual([assigned.id]);
      const token = (await loginAs(t.api, user.email, user.password)).accessToken;

      expect((await t.api.get(`/control/tenants/${assigned.id}`, { token })).status).toBe(200);
      expect((await t.api.patch(`/control/tenants/${assigned.id}`, { name: 'Renamed by super admin' }, { token })).status).toBe(200);
      expect((await t.api.get(`/control/tenants/${other.id}`, { token })).status).toBe(403);
      expect((await t.api.get('/control/tenants/00000000-0000-4000-8000-000000000000', { token })).status).toBe(403);
      expect((await t.api.get('/control/tenants', { token })).body.items.map((item: { id: string }) => item.id)).toEqual([assigned.id]);
      expect((await t.api.post(`/control/tenants/${assigned.id}/suspend`, undefined, { token })).status).toBe(403);
      expect((await t.api.get('/control/users', { token })).status).toBe(403);
      expect((await t.api.get('/control/audit', { token })).status).toBe(403);
      expect(
        (await t.api.post('/control/tenants', { slug: unique('x'), name: 'x', plan: 'starter', placement: 'pooled' }, { token })).status,
      ).toBe(403);
    });

    it('refuses an assignment to a tenant that does not exist, changing nothing', async () => {
      const user = await createUser(t.api, admin);
      const response = await t.api.put(
        `/control/users/${user.id}/platform-role`,
        { role: 'super_admin', tenantIds: ['00000000-0000-4000-8000-000000000000'] },
        { token: admin },
      );
      expect(response.status).toBe(404);
      expect((await t.api.get(`/control/users/${user.id}`, { token: admin })).body.platformRole).toBeNull();
    });
  });

  describe('platform admin only', () => {
    it('refuses tenant users on every control-plane route', async () => {
      const { admin: tenantAdmin } = await tenantWithUsers(t.api, admin);
      const token = (await loginAs(t.api, tenantAdmin.email, tenantAdmin.password)).accessToken;
      for (const path of ['/control/tenants', '/control/users', '/control/audit', '/control/database-servers']) {
        expect({ path, status: (await t.api.get(path, { token })).status }).toEqual({ path, status: 403 });
      }
    });
  });

  describe('database servers', () => {
    const machineServer = () => {
      const url = new URL(t.databaseUrl);
      return {
        host: url.hostname,
        port: Number(url.port || 5432),
        adminUser: decodeURIComponent(url.username),
        adminPassword: decodeURIComponent(url.password),
      };
    };

    it('registers a reachable server, stores its password encrypted and never returns it', async () => {
      const server = machineServer();
      const secret = server.adminPassword || 'unused-password-under-trust-auth';
      const response = await t.api.post(
        '/control/database-servers',
        { name: unique('pg'), ...server, adminPassword: secret, maxDatabases: 10 },
        { token: admin },
      );
      expect(response.status).toBe(201);
      expect(JSON.stringify(response.body)).not.toContain(secret);
      expect(response.body).not.toHaveProperty('adminPassword');

      const [row] = await t.sql('SELECT admin_password_encrypted FROM database_servers WHERE id = $1', [response.body.id]);
      expect(row.admin_password_encrypted).toMatch(/^v1:test1:/);
      expect(row.admin_password_encrypted).not.toContain(secret);

      const listed = await t.api.get('/control/database-servers', { token: admin });
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      const audit = await t.sql('SELECT changes FROM audit_log WHERE target_id = $1', [response.body.id]);
      expect(JSON.stringify(audit)).not.toContain(secret);
    });

    it('refuses an unreachable server with 422 naming the problem, storing nothing', async () => {
      const name = unique('down');
      const response = await t.api.post(
        '/control/database-servers',
        { name, host: '127.0.0.1', port: 1, adminUser: 'postgres', adminPassword: 'pw-that-must-not-leak', maxDatabases: 1 },
        { token: admin },
      );
      expect(response.status).toBe(422);
      expect(response.body.message).toMatch(/Cannot connect to 127\.0\.0\.1:1/);
      expect(response.body.message).not.toContain('pw-that-must-not-leak');
      expect(await t.sql('SELECT 1 FROM database_servers WHERE name = $1', [name])).toHaveLength(0);
    });

    it('refuses to remove a server that still holds tenant databases', async () => {
      const server = machineServer();
      const created = await t.api.post('/control/database-servers', { name: unique('pg'), ...server, maxDatabases: 10 }, { token: admin });
      const empty = await t.api.post('/control/database-servers', { name: unique('pg'), ...server, maxDatabases: 10 }, { token: admin });
      await createTenant(t.api, admin, { placement: 'dedicated', databaseServerId: created.body.id });
      const refused = await t.api.delete(`/control/database-servers/${created.body.id}`, { token: admin });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/1 tenant database/);
      expect((await t.api.delete(`/control/database-servers/${empty.body.id}`, { token: admin })).status).toBe(204);
    });
  });

  describe('audit log', () => {
    it('filters by action and tenant and pages newest first', async () => {
      const tenant = await createTenant(t.api, admin);
      await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'one' }, { token: admin });
      await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'two' }, { token: admin });
      const first = await t.api.get(`/control/audit?tenantId=${tenant.id}&action=tenant.update&limit=1`, { token: admin });
      expect(first.body.items[0].changes.name.to).toBe('two');
      const second = await t.api.get(`/control/audit?tenantId=${tenant.id}&action=tenant.update&limit=1&cursor=${first.body.nextCursor}`, {
        token: admin,
      });
      expect(second.body.items[0].changes.name.to).toBe('one');
      expect(second.body.nextCursor).toBeNull();
      expect((await t.api.get('/control/audit?action=DROP%20TABLE', { token: admin })).status).toBe(400);
    });
  });
});
