import { adminToken, loginAs, tenantWithUsers } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('tenant API roles', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  it('lets every member read their tenant, and only tenant admins list its users', async () => {
    const { tenant, admin: tenantAdmin, member } = await tenantWithUsers(t.api, admin);
    const memberToken = (await loginAs(t.api, member.email, member.password)).accessToken;
    const adminTokenOfTenant = (await loginAs(t.api, tenantAdmin.email, tenantAdmin.password)).accessToken;

    expect((await t.api.get('/api/tenant', { token: memberToken })).body.id).toBe(tenant.id);
    const refused = await t.api.get('/api/tenant/members', { token: memberToken });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/does not grant the permission users.read/);
    const members = await t.api.get('/api/tenant/members', { token: adminTokenOfTenant });
    expect(members.body.map((m: { email: string }) => m.email).sort()).toEqual([tenantAdmin.email, member.email].sort());
  });

  it('shows each tenant only itself', async () => {
    const a = await tenantWithUsers(t.api, admin);
    const b = await tenantWithUsers(t.api, admin);
    const tokenA = (await loginAs(t.api, a.admin.email, a.admin.password)).accessToken;
    const membersOfA = await t.api.get('/api/tenant/members', { token: tokenA });
    expect(membersOfA.body.map((m: { email: string }) => m.email)).not.toContain(b.admin.email);
  });

  it('cuts a removed member or a disabled account off tenant data at once, before the token expires', async () => {
    const { tenant, admin: tenantAdmin, member } = await tenantWithUsers(t.api, admin);
    const memberToken = (await loginAs(t.api, member.email, member.password)).accessToken;
    const adminTokenOfTenant = (await loginAs(t.api, tenantAdmin.email, tenantAdmin.password)).accessToken;
    expect((await t.api.get('/api/notes', { token: memberToken })).status).toBe(200);
    expect((await t.api.get('/api/notes', { token: adminTokenOfTenant })).status).toBe(200);

    await t.api.delete(`/control/tenants/${tenant.id}/members/${member.id}`, { token: admin });
    const removed = await t.api.get('/api/notes', { token: memberToken });
    expect(removed.status).toBe(401);
    expect(removed.body.message).toBe('The session has ended');

    await t.api.patch(`/control/users/${tenantAdmin.id}`, { status: 'disabled' }, { token: admin });
    expect((await t.api.get('/api/notes', { token: adminTokenOfTenant })).status).toBe(401);
  });

  it('takes the role from the membership, so a demotion counts at once', async () => {
    const { tenant, admin: tenantAdmin, member } = await tenantWithUsers(t.api, admin);
    const token = (await loginAs(t.api, tenantAdmin.email, tenantAdmin.password)).accessToken;
    expect((await t.api.get('/api/tenant/members', { token })).status).toBe(200);
    await t.api.patch(`/control/tenants/${tenant.id}/members/${member.id}`, { role: 'tenant_admin' }, { token: admin });
    expect(
      (await t.api.patch(`/control/tenants/${tenant.id}/members/${tenantAdmin.id}`, { role: 'member' }, { token: admin })).status,
    ).toBe(200);
    expect((await t.api.get('/api/tenant/members', { token })).status).toBe(403);
  });

  it('refuses tenant routes to a token without a tenant, naming what is missing', async () => {
    const response = await t.api.get('/api/tenant', { token: admin });
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/needs a tenant/);
  });
});
