import {
  acceptInvitation,
  adminToken,
  createTenant,
  createUser,
  invitationTokenFor,
  inviteIntoTenant,
  loginAs,
  unique,
} from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** A tenant admin manages the tenant's users and custom roles through /api (real HTTP, real PostgreSQL, real SMTP). */
describe('tenant users, invitations and roles', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  async function tenantAdminSession(overrides = {}) {
    const tenant = await createTenant(t.api, platformAdmin, overrides);
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password, tenant.slug)).accessToken;
    return { tenant, token };
  }

  it('invites a new person and an existing account alike; each joins only by accepting, and works in the tenant at once', async () => {
    const { tenant, token } = await tenantAdminSession();
    const email = `${unique('new')}@example.test`;
    const existing = await createUser(t.api, platformAdmin);
    const forNew = await t.api.post('/api/invitations', { email, role: 'member' }, { token });
    const forExisting = await t.api.post('/api/invitations', { email: existing.email, role: 'tenant_admin' }, { token });
    expect(forNew.status).toBe(201);
    expect(forExisting.status).toBe(201);
    // The answers are the same shape whether or not the e-mail has an account: nothing tells them apart.
    expect(Object.keys(forNew.body).sort()).toEqual(Object.keys(forExisting.body).sort());
    expect(forNew.body).toMatchObject({ email, role: 'member', status: 'pending', tenantId: tenant.id });
    expect(JSON.stringify(forExisting.body)).not.toContain(existing.id);
    expect((await t.api.get('/api/users', { token })).body).toHaveLength(1);

    await acceptInvitation(t.api, email, 'a-password-i-chose-myself', 'New Person');
    const newcomer = await loginAs(t.api, email, 'a-password-i-chose-myself');
    expect(newcomer.tenant?.id).toBe(tenant.id);
    expect((await t.api.post('/api/notes', { title: 'hello' }, { token: newcomer.accessToken })).status).toBe(201);

    await acceptInvitation(t.api, existing.email, existing.password);
    expect((await loginAs(t.api, existing.email, existing.password, tenant.slug)).roles).toEqual(['tenant_admin']);
    const invitations = (await t.api.get('/api/invitations', { token })).body;
    expect(invitations.map((invitation: { status: string }) => invitation.status)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('closes the cross-tenant takeover: nobody sets another person’s password, and an invitation needs its holder', async () => {
    const a = await tenantAdminSession();
    const b = await tenantAdminSession();
    const victim = `${unique('victim')}@example.test`;
    // Tenant A's admin can no longer create an account with a password of its choosing.
    const created = await t.api.post(
      '/api/users',
      { email: victim, password: 'attacker-chosen-password', role: 'member' },
      { token: a.token },
    );
    expect(created.status).toBe(404);
    // Tenant A invites the victim; the invitation goes to the victim's mailbox, not to A.
    expect((await t.api.post('/api/invitations', { email: victim, role: 'member' }, { token: a.token })).status).toBe(201);
    const mailedToVictim = await invitationTokenFor(t.api, victim);
    // Tenant B invites the same person; the victim opens the account with a password of their own through B's invitation.
    expect((await t.api.post('/api/invitations', { email: victim, role: 'member' }, { token: b.token })).status).toBe(201);
    await acceptInvitation(t.api, victim, 'victims-own-password');
    // A's admin knows no password that works, and A's invitation cannot open the account again.
    expect((await t.api.post('/auth/login', { email: victim, password: 'attacker-chosen-password', tenant: b.tenant.slug })).status).toBe(
      401,
    );
    expect((await t.api.post('/auth/invitations/accept', { token: mailedToVictim, password: 'attacker-chosen-password' })).status).toBe(
      409,
    );
    // A platform admin creating a tenant for an existing e-mail invites too: no password is taken or set.
    const refused = await t.api.post(
      '/control/tenants',
      {
        slug: unique('t').toLowerCase(),
        name: 'Victim Co',
        plan: 'starter',
        placement: 'pooled',
        admin: { email: victim, password: 'attacker-chosen-password' },
      },
      { token: platformAdmin },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/password should not exist/);
  });

  it('refuses a stranger’s token, a revoked or expired invitation, and acceptance by another signed-in account', async () => {
    const { token } = await tenantAdminSession();
    const email = `${unique('inv')}@example.test`;
    const invitation = (await t.api.post('/api/invitations', { email, role: 'member' }, { token })).body;
    const mailed = await invitationTokenFor(t.api, email);
    const other = await createUser(t.api, platformAdmin);
    const otherToken = (await loginAs(t.api, other.email, other.password)).accessToken;
    const wrongHolder = await t.api.post('/auth/invitations/accept-existing', { token: mailed }, { token: otherToken });
    expect(wrongHolder.status).toBe(403);
    expect(wrongHolder.body.message).toMatch(/another e-mail address/);

    expect((await t.api.delete(`/api/invitations/${invitation.id}`, { token })).status).toBe(204);
    const revoked = await t.api.post('/auth/invitations/accept', { token: mailed, password: 'a-long-enough-password' });
    expect(revoked.status).toBe(400);
    expect(revoked.body.details).toEqual([{ field: 'token', problems: ['invalid or expired'] }]);
    expect((await t.api.post('/auth/invitations/accept', { token: 'x'.repeat(43), password: 'a-long-enough-password' })).status).toBe(400);

    const late = `${unique('late')}@example.test`;
    await t.api.post('/api/invitations', { email: late, role: 'member' }, { token });
    const lateToken = await invitationTokenFor(t.api, late);
    await t.sql("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = $1", [late]);
    expect((await t.api.post('/auth/invitations/accept', { token: lateToken, password: 'a-long-enough-password' })).status).toBe(400);
    expect(await t.sql('SELECT id FROM users WHERE email = ANY($1)', [[email, late]])).toEqual([]);
  });

  it('refuses bad invitations with a 4xx naming the problem, and invites nobody', async () => {
    const { tenant, token } = await tenantAdminSession();
    const cases: Array<[object, number, RegExp]> = [
      [{ email: `${unique('x')}@example.test`, role: 'ghost_role' }, 400, /Role "ghost_role" does not exist/],
      [{ email: `${unique('x')}@example.test`, role: "x'; DROP TABLE users;--" }, 400, /role must match/],
      [{ email: `${unique('x')}@example.test`, role: 'constructor' }, 400, /Role "constructor" does not exist/],
      [{ email: tenant.admin.email, role: 'member' }, 409, /already a user of this tenant/],
      [{ email: 'not-an-email', role: 'member' }, 400, /email must be an email/],
    ];
    for (const [body, status, message] of cases) {
      const response = await t.api.post('/api/invitations', body, { token });
      expect(response.status).toBe(status);
      expect(response.body.message).toMatch(message);
    }
    const pending = (await t.api.get('/api/invitations', { token })).body.filter(
      (invitation: { status: string }) => invitation.status === 'pending',
    );
    expect(pending).toEqual([]);
  });

  it('lets a custom role grant exactly its permissions, and a change to the role counts at once', async () => {
    const { token } = await tenantAdminSession();
    const role = await t.api.post(
      '/api/roles',
      { name: 'note_reader', description: 'Reads notes', permissions: ['notes.read', 'tenant.read'] },
      { token },
    );
    expect(role.status).toBe(201);
    expect(role.body).toEqual({
      name: 'note_reader',
      description: 'Reads notes',
      permissions: ['tenant.read', 'notes.read'],
      builtIn: false,
    });
    const email = `${unique('reader')}@example.test`;
    const added = await inviteIntoTenant(t.api, token, email, 'note_reader');
    const reader = (await loginAs(t.api, email, 'a-long-enough-password')).accessToken;

    expect((await t.api.get('/api/notes', { token: reader })).status).toBe(200);
    const refused = await t.api.post('/api/notes', { title: 'nope' }, { token: reader });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Your role "note_reader" does not grant the permission notes.write');
    expect((await t.api.get('/api/users', { token: reader })).status).toBe(403);

    await t.api.patch('/api/roles/note_reader', { permissions: ['notes.read', 'notes.write', 'tenant.read'] }, { token });
    expect((await t.api.post('/api/notes', { title: 'now allowed' }, { token: reader })).status).toBe(201);

    expect((await t.api.delete('/api/roles/note_reader', { token })).status).toBe(409);
    expect((await t.api.patch(`/api/users/${added.userId}`, { role: 'member' }, { token })).body.role).toBe('member');
    expect((await t.api.delete('/api/roles/note_reader', { token })).status).toBe(204);
    expect((await t.api.get('/api/roles', { token })).body.map((entry: { name: string }) => entry.name)).toEqual([
      'tenant_admin',
      'member',
    ]);
  });

  it('grants least privilege: no self-promotion, no demoting a stronger user, no role beyond one’s own permissions', async () => {
    const { tenant, token } = await tenantAdminSession();
    await t.api.post('/api/roles', { name: 'user_manager', permissions: ['tenant.read', 'users.read', 'users.manage'] }, { token });
    await t.api.post('/api/roles', { name: 'role_manager', permissions: ['tenant.read', 'roles.manage', 'users.read'] }, { token });
    const managerEmail = `${unique('mgr')}@example.test`;
    const manager = await inviteIntoTenant(t.api, token, managerEmail, 'user_manager');
    const managerToken = (await loginAs(t.api, managerEmail, 'a-long-enough-password')).accessToken;

    const selfPromotion = await t.api.patch(`/api/users/${manager.userId}`, { role: 'tenant_admin' }, { token: managerToken });
    expect(selfPromotion.status).toBe(403);
    expect(selfPromotion.body.message).toMatch(/own role/);
    const demoteAdmin = await t.api.patch(`/api/users/${tenant.admin.id}`, { role: 'member' }, { token: managerToken });
    expect(demoteAdmin.status).toBe(403);
    expect((await t.api.delete(`/api/users/${tenant.admin.id}`, { token: managerToken })).status).toBe(403);
    const inviteAdmin = await t.api.post(
      '/api/invitations',
      { email: `${unique('x')}@example.test`, role: 'tenant_admin' },
      { token: managerToken },
    );
    expect(inviteAdmin.status).toBe(403);
    expect(inviteAdmin.body.details[0].field).toBe('role');
    expect(
      (await t.api.post('/api/invitations', { email: `${unique('x')}@example.test`, role: 'user_manager' }, { token: managerToken }))
        .status,
    ).toBe(201);

    const roleManagerEmail = `${unique('rm')}@example.test`;
    await inviteIntoTenant(t.api, token, roleManagerEmail, 'role_manager');
    const roleManager = (await loginAs(t.api, roleManagerEmail, 'a-long-enough-password')).accessToken;
    const widenOwn = await t.api.patch(
      '/api/roles/role_manager',
      { permissions: ['tenant.read', 'roles.manage', 'users.read', 'users.manage'] },
      { token: roleManager },
    );
    expect(widenOwn.status).toBe(403);
    expect(widenOwn.body.message).toMatch(/users.manage/);
    expect((await t.api.post('/api/roles', { name: 'sneaky', permissions: ['audit.read'] }, { token: roleManager })).status).toBe(403);
    expect((await t.api.patch('/api/roles/user_manager', { permissions: [] }, { token: roleManager })).status).toBe(403);
    expect((await t.api.post('/api/roles', { name: 'reader', permissions: ['tenant.read'] }, { token: roleManager })).status).toBe(201);

    const roles = (await t.api.get('/api/roles', { token })).body;
    expect(roles.find((role: { name: string }) => role.name === 'role_manager').permissions).toEqual([
      'tenant.read',
      'users.read',
      'roles.manage',
    ]);
    const members = (await t.api.get('/api/users', { token })).body;
    expect(members.find((member: { userId: string }) => member.userId === tenant.admin.id).role).toBe('tenant_admin');
  });

  it('refuses invalid roles and changes to built-in ones, and treats prototype names as unknown', async () => {
    const { token } = await tenantAdminSession();
    expect((await t.api.post('/api/roles', { name: 'bad', permissions: ['notes.read', 'everything'] }, { token })).status).toBe(400);
    expect((await t.api.post('/api/roles', { name: 'Bad Name', permissions: [] }, { token })).status).toBe(400);
    expect((await t.api.post('/api/roles', { name: 'member', permissions: [] }, { token })).status).toBe(409);
    expect((await t.api.patch('/api/roles/tenant_admin', { permissions: [] }, { token })).status).toBe(409);
    expect((await t.api.patch('/api/roles/unknown', { permissions: [] }, { token })).status).toBe(404);
    expect((await t.api.patch('/api/roles/constructor', { permissions: [] }, { token })).status).toBe(404);
    expect((await t.api.delete('/api/tenant/modules/__proto__', { token })).status).toBe(404);
    const catalog = (await t.api.get('/api/permissions', { token })).body.map((permission: { name: string }) => permission.name);
    expect(catalog).toEqual(expect.arrayContaining(['notes.read', 'notes.write', 'users.manage', 'roles.manage']));
  });

  it('lets a role named constructor work like any custom role', async () => {
    const { token } = await tenantAdminSession();
    expect((await t.api.post('/api/roles', { name: 'constructor', permissions: ['tenant.read', 'notes.read'] }, { token })).status).toBe(
      201,
    );
    const email = `${unique('ctor')}@example.test`;
    await inviteIntoTenant(t.api, token, email, 'constructor');
    const ctor = (await loginAs(t.api, email, 'a-long-enough-password')).accessToken;
    expect((await t.api.get('/api/notes', { token: ctor })).status).toBe(200);
    expect((await t.api.post('/api/notes', { title: 'no' }, { token: ctor })).status).toBe(403);
  });

  it('never leaves a tenant without a tenant admin', async () => {
    const { tenant, token } = await tenantAdminSession();
    const demoted = await t.api.patch(`/api/users/${tenant.admin.id}`, { role: 'member' }, { token });
    expect(demoted.status).toBe(403);
    expect((await t.api.delete(`/api/users/${tenant.admin.id}`, { token })).status).toBe(409);

    const secondEmail = `${unique('second')}@example.test`;
    const second = await inviteIntoTenant(t.api, token, secondEmail, 'tenant_admin');
    const secondToken = (await loginAs(t.api, secondEmail, 'a-long-enough-password')).accessToken;
    expect((await t.api.patch(`/api/users/${tenant.admin.id}`, { role: 'member' }, { token: secondToken })).status).toBe(200);
    const last = await t.api.delete(`/api/users/${second.userId}`, { token: secondToken });
    expect(last.status).toBe(409);
    expect(last.body.message).toMatch(/last tenant admin/);
  });

  it('keeps every tenant’s users, invitations and roles to itself', async () => {
    const a = await tenantAdminSession();
    const b = await tenantAdminSession();
    await t.api.post('/api/roles', { name: 'secret_role', permissions: ['notes.read'] }, { token: b.token });
    const bInvitation = (await t.api.post('/api/invitations', { email: `${unique('x')}@example.test`, role: 'member' }, { token: b.token }))
      .body;

    expect((await t.api.patch(`/api/users/${b.tenant.admin.id}`, { role: 'member' }, { token: a.token })).status).toBe(404);
    expect((await t.api.delete(`/api/users/${b.tenant.admin.id}`, { token: a.token })).status).toBe(404);
    expect((await t.api.delete(`/api/invitations/${bInvitation.id}`, { token: a.token })).status).toBe(404);
    expect((await t.api.patch('/api/roles/secret_role', { permissions: [] }, { token: a.token })).status).toBe(404);
    expect((await t.api.get('/api/roles', { token: a.token })).body.map((role: { name: string }) => role.name)).not.toContain(
      'secret_role',
    );
    expect(
      (await t.api.post('/api/invitations', { email: `${unique('x')}@example.test`, role: 'secret_role' }, { token: a.token })).status,
    ).toBe(400);
    expect((await t.api.get('/api/invitations', { token: b.token })).body[0].status).toBe('pending');
  });

  it('holds users to the plan’s quota and keeps user management to roles that grant it', async () => {
    const { token } = await tenantAdminSession();
    const original = (await t.api.get('/control/plans/starter', { token: platformAdmin })).body.maxUsers;
    try {
      await t.api.patch('/control/plans/starter', { maxUsers: 2 }, { token: platformAdmin });
      const memberEmail = `${unique('m')}@example.test`;
      const lateEmail = `${unique('m')}@example.test`;
      expect((await t.api.post('/api/invitations', { email: lateEmail, role: 'member' }, { token })).status).toBe(201);
      await inviteIntoTenant(t.api, token, memberEmail, 'member');
      const over = await t.api.post('/api/invitations', { email: `${unique('m')}@example.test`, role: 'member' }, { token });
      expect(over.status).toBe(409);
      expect(over.body.message).toMatch(/Quota maxUsers reached/);
      const lateAccept = await t.api.post('/auth/invitations/accept', {
        token: await invitationTokenFor(t.api, lateEmail),
        password: 'a-long-enough-password',
      });
      expect(lateAccept.status).toBe(409);
      expect(lateAccept.body.message).toMatch(/Quota maxUsers reached/);

      const member = (await loginAs(t.api, memberEmail, 'a-long-enough-password')).accessToken;
      const refused = await t.api.post('/api/invitations', { email: `${unique('m')}@example.test`, role: 'member' }, { token: member });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/users.manage/);
    } finally {
      await t.api.patch('/control/plans/starter', { maxUsers: original }, { token: platformAdmin });
    }
  });
});
