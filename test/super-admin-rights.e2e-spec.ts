import { adminToken, createTenant, createUser, loginAs } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** What a super admin may change in an assigned tenant: the name; the plan only with a platform admin's leave; modules of the plan. */
describe('super admin rights over assigned tenants', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  async function superAdminOf(tenantIds: string[], planChangeTenantIds?: string[]) {
    const user = await createUser(t.api, platformAdmin);
    const assigned = await t.api.put(
      `/control/users/${user.id}/platform-role`,
      { role: 'super_admin', tenantIds, planChangeTenantIds },
      { token: platformAdmin },
    );
    expect(assigned.status).toBe(200);
    return { user, assigned: assigned.body, token: (await loginAs(t.api, user.email, user.password)).accessToken };
  }

  const tenantAsPlatformAdminSees = async (id: string) => (await t.api.get(`/control/tenants/${id}`, { token: platformAdmin })).body;
  const tenantUpdates = async (id: string) =>
    (await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tenant.update' AND target_id = $1`, [id]))[0].n;

  it('refuses a super admin a plan change no platform admin allowed with 403 naming the field, changing nothing', async () => {
    const tenant = await createTenant(t.api, platformAdmin);
    const { token, assigned } = await superAdminOf([tenant.id]);
    expect(assigned.planChangeTenantIds).toEqual([]);

    const refused = await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'Renamed with the plan', plan: 'enterprise' }, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.details).toEqual([{ field: 'plan', problems: [expect.stringMatching(/not allowed/)] }]);
    expect(await tenantAsPlatformAdminSees(tenant.id)).toMatchObject({ plan: 'starter', name: tenant.name });
    expect(await tenantUpdates(tenant.id)).toBe(0);

    const samePlan = await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'Renamed', plan: 'starter' }, { token });
    expect(samePlan.status).toBe(200);
    expect(samePlan.body).toMatchObject({ name: 'Renamed', plan: 'starter' });
  });

  it('lets a super admin change the plan of the tenants a platform admin allowed, and only those; the leave is shown and audited', async () => {
    const allowed = await createTenant(t.api, platformAdmin);
    const notAllowed = await createTenant(t.api, platformAdmin);
    const { user, token, assigned } = await superAdminOf([allowed.id, notAllowed.id], [allowed.id]);
    expect(assigned).toMatchObject({
      superAdminTenantIds: expect.arrayContaining([allowed.id, notAllowed.id]),
      planChangeTenantIds: [allowed.id],
    });
    expect((await t.api.get(`/control/users/${user.id}`, { token: platformAdmin })).body.planChangeTenantIds).toEqual([allowed.id]);
    const [grant] = await t.sql(`SELECT changes FROM audit_log WHERE action = 'user.set_platform_role' AND target_id = $1`, [user.id]);
    expect(grant.changes.planChangeTenantIds).toEqual([allowed.id]);

    const changed = await t.api.patch(`/control/tenants/${allowed.id}`, { plan: 'professional' }, { token });
    expect(changed.status).toBe(200);
    expect((await tenantAsPlatformAdminSees(allowed.id)).plan).toBe('professional');
    expect((await t.api.patch(`/control/tenants/${notAllowed.id}`, { plan: 'professional' }, { token })).status).toBe(403);
    expect((await tenantAsPlatformAdminSees(notAllowed.id)).plan).toBe('starter');

    await t.api.put(`/control/users/${user.id}/platform-role`, { role: 'super_admin', tenantIds: [allowed.id] }, { token: platformAdmin });
    expect((await t.api.patch(`/control/tenants/${allowed.id}`, { plan: 'enterprise' }, { token })).status).toBe(403);
  });

  it('refuses a plan-change leave for a tenant that is not assigned, changing nothing', async () => {
    const tenant = await createTenant(t.api, platformAdmin);
    const other = await createTenant(t.api, platformAdmin);
    const user = await createUser(t.api, platformAdmin);
    const refused = await t.api.put(
      `/control/users/${user.id}/platform-role`,
      { role: 'super_admin', tenantIds: [tenant.id], planChangeTenantIds: [other.id] },
      { token: platformAdmin },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'planChangeTenantIds', problems: [expect.any(String)] }]);
    expect((await t.api.get(`/control/users/${user.id}`, { token: platformAdmin })).body).toMatchObject({
      platformRole: null,
      superAdminTenantIds: [],
    });
  });

  it('lets a super admin enable only modules of the tenant’s plan, and a platform admin any module or plan', async () => {
    const tenant = await createTenant(t.api, platformAdmin);
    const { token } = await superAdminOf([tenant.id], [tenant.id]);
    const starter = ['notes', 'contacts', 'accounts'];
    expect((await t.api.patch(`/control/tenants/${tenant.id}`, { enabledModules: starter }, { token })).status).toBe(200);
    expect((await t.api.patch(`/control/tenants/${tenant.id}`, { enabledModules: [...starter, 'activities'] }, { token })).status).toBe(
      200,
    );

    const outside = await t.api.patch(`/control/tenants/${tenant.id}`, { enabledModules: [...starter, 'deals'] }, { token });
    expect(outside.status).toBe(403);
    expect(outside.body.details).toEqual([{ field: 'enabledModules', problems: ['deals is not in the Starter plan'] }]);
    expect((await tenantAsPlatformAdminSees(tenant.id)).enabledModules).toEqual([...starter, 'activities']);

    // With the plan that brings it, in the same change, the module is within the plan.
    const upgraded = await t.api.patch(
      `/control/tenants/${tenant.id}`,
      { plan: 'professional', enabledModules: [...starter, 'deals'] },
      { token },
    );
    expect(upgraded.status).toBe(200);

    const byPlatformAdmin = await t.api.patch(
      `/control/tenants/${tenant.id}`,
      { plan: 'starter', enabledModules: [...starter, 'deals', 'events'] },
      { token: platformAdmin },
    );
    expect(byPlatformAdmin.status).toBe(200);
    expect(byPlatformAdmin.body).toMatchObject({ plan: 'starter', enabledModules: [...starter, 'deals', 'events'] });
  });

  it('shows a super admin its tenants without hosting details, which platform admins see', async () => {
    const tenant = await createTenant(t.api, platformAdmin, { placement: 'dedicated' });
    const { token } = await superAdminOf([tenant.id]);
    const answers = [
      (await t.api.get(`/control/tenants/${tenant.id}`, { token })).body,
      (await t.api.get('/control/tenants', { token })).body.items[0],
      (await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'Seen by a super admin' }, { token })).body,
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ id: tenant.id, placement: 'dedicated' });
      for (const key of ['provisioning', 'failureReason', 'schemaVersion']) expect(answer).not.toHaveProperty(key);
    }
    expect((await tenantAsPlatformAdminSees(tenant.id)).provisioning.length).toBeGreaterThan(0);
  });
});
