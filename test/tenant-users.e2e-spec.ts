import { adminToken, createTenant, createUser, loginAs, unique } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** A tenant admin manages the tenant's users and custom roles through /api (real HTTP, real PostgreSQL). */
describe('tenant users and roles', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  async function tenantAdminSession(overrides = {}) {
    const tenant = await createTenant(t.api, platformAdmin, overrides);
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    return { tenant, token };
  }

  it('creates a new user or adds an existing account, each able to work in the tenant at once', async () => {
    const { tenant, token } = await tenantAdminSession();
    const email = `${unique('new')}@example.test`;
    const created = await t.api.post('/api/users', { email, password: 'a-long-enough-password', name: 'New Person', role: 'member' }, { token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, name: 'New Person', role: 'member' });
    const newcomer = await loginAs(t.api, email, 'a-long-enough-password');
    expect(newcomer.tenant?.id).toBe(tenant.id);
    expect((await t.api.post('/api/notes', { title: 'hello' }, { token: newcomer.accessToken })).status).toBe(201);

    const existing = await createUser(t.api, platformAdmin);
    expect((await t.api.post('/api/users', { email: existing.email, role: 'tenant_admin' }, { token })).status).toBe(201);
    expect((await loginAs(t.api, existing.email, existing.password, tenant.slug)).roles).toEqual(['tenant_admin']);
    expect((await t.api.get('/api/users', { token })).body.map((user: { email: string }) => user.email).sort()).toEqual(
      [tenant.admin.email, email, existing.email].sort(),
    );
  });

  it('refuses bad additions with a 4xx naming the problem, and adds nobody', async () => {
    const { tenant, token } = await tenantAdminSession();
    const existing = await createUser(t.api, platformAdmin);
    const cases: Array<[object, number, RegExp]> = [
      [{ email: `${unique('x')}@example.test`, role: 'member' }, 400, /password is required/],
      [{ email: existing.email, password: 'a-long-enough-password', role: 'member' }, 400, /password must be omitted/],
      [{ email: existing.email, role: 'ghost_role' }, 400, /Role "ghost_role" does not exist/],
      [{ email: existing.email, role: "x'; DROP TABLE users;--" }, 400, /role must match/],
      [{ email: tenant.admin.email, role: 'member' }, 409, /already a user of this tenant/],
    ];
    for (const [body, status, message] of cases) {
      const response = await t.api.post('/api/users', body, { token });
      expect(response.status).toBe(status);
      expect(response.body.message).toMatch(message);
    }
    expect((await t.api.get('/api/users', { token })).body).toHaveLength(1);
  });

  it('lets a custom role grant exactly its permissions, and a change to the role counts at once', async () => {
    const { token } = await tenantAdminSession();
    const role = await t.api.post('/api/roles', { name: 'note_reader', description: 'Reads notes', permissions: ['notes.read', 'tenant.read'] }, { token });
    expect(role.status).toBe(201);
    expect(role.body).toEqual({ name: 'note_reader', description: 'Reads notes', permissions: ['tenant.read', 'notes.read'], builtIn: false });
    const email = `${unique('reader')}@example.test`;
    const added = await t.api.post('/api/users', { email, password: 'a-long-enough-password', role: 'note_reader' }, { token });
    const reader = (await loginAs(t.api, email, 'a-long-enough-password')).accessToken;

    expect((await t.api.get('/api/notes', { token: reader })).status).toBe(200);
    const refused = await t.api.post('/api/notes', { title: 'nope' }, { token: reader });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Your role "note_reader" does not grant the permission notes.write');
    expect((await t.api.get('/api/users', { token: reader })).status).toBe(403);

    await t.api.patch('/api/roles/note_reader', { permissions: ['notes.read', 'notes.write', 'tenant.read'] }, { token });
    expect((await t.api.post('/api/notes', { title: 'now allowed' }, { token: reader })).status).toBe(201);

    expect((await t.api.delete('/api/roles/note_reader', { token })).status).toBe(409);
    expect((await t.api.patch(`/api/users/${added.body.userId}`, { role: 'member' }, { token })).body.role).toBe('member');
    expect((await t.api.delete('/api/roles/note_reader', { token })).status).toBe(204);
    expect((await t.api.get('/api/roles', { token })).body.map((entry: { name: string }) => entry.name)).toEqual(['tenant_admin', 'member']);
  });

  it('refuses invalid roles and changes to built-in ones', async () => {
    const { token } = await tenantAdminSession();
    expect((await t.api.post('/api/roles', { name: 'bad', permissions: ['notes.read', 'everything'] }, { token })).status).toBe(400);
    expect((await t.api.post('/api/roles', { name: 'Bad Name', permissions: [] }, { token })).status).toBe(400);
    expect((await t.api.post('/api/roles', { name: 'member', permissions: [] }, { token })).status).toBe(409);
    expect((await t.api.patch('/api/roles/tenant_admin', { permissions: [] }, { token })).status).toBe(409);
    expect((await t.api.patch('/api/roles/unknown', { permissions: [] }, { token })).status).toBe(404);
    const catalog = (await t.api.get('/api/permissions', { token })).body.map((permission: { name: string }) => permission.name);
    expect(catalog).toEqual(expect.arrayContaining(['notes.read', 'notes.write', 'users.manage', 'roles.manage']));
  });

  it('never leaves a tenant without a tenant admin', async () => {
    const { tenant, token } = await tenantAdminSession();
    const demoted = await t.api.patch(`/api/users/${tenant.admin.id}`, { role: 'member' }, { token });
    expect(demoted.status).toBe(409);
    expect(demoted.body.message).toMatch(/last tenant admin/);
    expect((await t.api.delete(`/api/users/${tenant.admin.id}`, { token })).status).toBe(409);

    const second = `${unique('second')}@example.test`;
    await t.api.post('/api/users', { email: second, password: 'a-long-enough-password', role: 'tenant_admin' }, { token });
    expect((await t.api.patch(`/api/users/${tenant.admin.id}`, { role: 'member' }, { token })).status).toBe(200);
  });

  it('keeps every tenant’s users and roles to itself', async () => {
    const a = await tenantAdminSession();
    const b = await tenantAdminSession();
    await t.api.post('/api/roles', { name: 'secret_role', permissions: ['notes.read'] }, { token: b.token });

    expect((await t.api.patch(`/api/users/${b.tenant.admin.id}`, { role: 'member' }, { token: a.token })).status).toBe(404);
    expect((await t.api.delete(`/api/users/${b.tenant.admin.id}`, { token: a.token })).status).toBe(404);
    expect((await t.api.patch('/api/roles/secret_role', { permissions: [] }, { token: a.token })).status).toBe(404);
    expect((await t.api.get('/api/roles', { token: a.token })).body.map((role: { name: string }) => role.name)).not.toContain('secret_role');
    const stranger = await createUser(t.api, platformAdmin);
    expect((await t.api.post('/api/users', { email: stranger.email, role: 'secret_role' }, { token: a.token })).status).toBe(400);
  });

  it('holds users to the plan’s quota and keeps user management to roles that grant it', async () => {
    const { token } = await tenantAdminSession();
    const original = (await t.api.get('/control/plans/starter', { token: platformAdmin })).body.maxUsers;
    try {
      await t.api.patch('/control/plans/starter', { maxUsers: 2 }, { token: platformAdmin });
      const memberEmail = `${unique('m')}@example.test`;
      expect((await t.api.post('/api/users', { email: memberEmail, password: 'a-long-enough-password', role: 'member' }, { token })).status).toBe(201);
      const over = await t.api.post('/api/users', { email: `${unique('m')}@example.test`, password: 'a-long-enough-password', role: 'member' }, { token });
      expect(over.status).toBe(409);
      expect(over.body.message).toMatch(/Quota maxUsers reached/);

      const member = (await loginAs(t.api, memberEmail, 'a-long-enough-password')).accessToken;
      const refused = await t.api.post('/api/users', { email: `${unique('m')}@example.test`, password: 'a-long-enough-password', role: 'tenant_admin' }, { token: member });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/users.manage/);
    } finally {
      await t.api.patch('/control/plans/starter', { maxUsers: original }, { token: platformAdmin });
    }
  });
});
