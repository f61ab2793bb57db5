import { Client } from 'pg';
import { adminToken, createTenant, loginAs, tenantWithUsers } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** Per-tenant modules within the plan, and the tenant's own audit trail of its data. */
describe('tenant modules and data audit', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  async function adminSession(overrides = {}) {
    const tenant = await createTenant(t.api, platformAdmin, overrides);
    return { tenant, token: (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken };
  }

  describe('modules', () => {
    it('refuses a disabled module’s routes with 403 naming it, and serves them again once enabled', async () => {
      const { tenant, token } = await adminSession();
      expect((await t.api.get('/api/notes', { token })).status).toBe(200);
      const disabled = await t.api.delete('/api/tenant/modules/notes', { token });
      expect(disabled.body.find((module: { name: string }) => module.name === 'notes')).toMatchObject({ enabled: false, inPlan: true });

      const refused = await t.api.get('/api/notes', { token });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(`The notes module is not enabled for tenant "${tenant.slug}"`);
      expect((await t.api.put('/api/tenant/modules/notes', undefined, { token })).status).toBe(200);
      expect((await t.api.get('/api/notes', { token })).status).toBe(200);
    });

    it('lets a tenant admin enable only modules of the plan, once the settings they need are filled in', async () => {
      const starter = await adminSession({ plan: 'starter' });
      const outOfPlan = await t.api.put('/api/tenant/modules/deals', undefined, { token: starter.token });
      expect(outOfPlan.status).toBe(403);
      expect(outOfPlan.body.message).toBe('The Starter plan does not include the deals module');
      expect((await t.api.put('/api/tenant/modules/teleport', undefined, { token: starter.token })).status).toBe(404);

      const enterprise = await adminSession({ plan: 'enterprise', placement: 'pooled' });
      const modules = (await t.api.get('/api/tenant/modules', { token: enterprise.token })).body;
      expect(modules.find((module: { name: string }) => module.name === 'invoices')).toMatchObject({
        enabled: false,
        inPlan: true,
        missingSettings: ['address'],
        served: true,
      });
      const needsAddress = await t.api.put('/api/tenant/modules/invoices', undefined, { token: enterprise.token });
      expect(needsAddress.status).toBe(400);
      expect(needsAddress.body).toMatchObject({
        message: 'The invoices module needs these tenant settings first: address',
        details: [{ field: 'settings.address', problems: ['required by the invoices module'] }],
      });

      const settings = await t.api.patch(
        '/api/tenant/settings',
        { address: '1 Main Street, Berlin', currency: 'EUR', timezone: 'Europe/Berlin' },
        { token: enterprise.token },
      );
      expect(settings.body).toMatchObject({
        address: '1 Main Street, Berlin',
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        companyName: enterprise.tenant.name,
      });
      expect((await t.api.put('/api/tenant/modules/invoices', undefined, { token: enterprise.token })).status).toBe(200);
    });

    it('validates settings and keeps module management to roles that grant it', async () => {
      const { tenant, member, admin } = await tenantWithUsers(t.api, platformAdmin);
      const adminTokenOfTenant = (await loginAs(t.api, admin.email, admin.password)).accessToken;
      const bad = await t.api.patch(
        '/api/tenant/settings',
        { currency: 'euro', timezone: 'Mars/Olympus', locale: 'xx_YY' },
        { token: adminTokenOfTenant },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['currency', 'locale', 'timezone']);
      const memberToken = (await loginAs(t.api, member.email, member.password)).accessToken;
      expect((await t.api.delete('/api/tenant/modules/notes', { token: memberToken })).status).toBe(403);

      const platform = await t.api.patch(
        `/control/tenants/${tenant.id}`,
        { enabledModules: ['notes', 'invoices'] },
        { token: platformAdmin },
      );
      expect(platform.status).toBe(400);
      expect(platform.body.message).toMatch(/invoices module needs these tenant settings first: address/);
      expect(
        (await t.api.patch(`/control/tenants/${tenant.id}`, { enabledModules: ['notes', 'warp_drive'] }, { token: platformAdmin })).status,
      ).toBe(400);
    });
  });

  describe('data audit', () => {
    it('records who created, changed and deleted what, in the tenant’s own database, readable by the tenant admin with filters', async () => {
      const { tenant, token } = await adminSession({ placement: 'dedicated' });
      const note = (await t.api.post('/api/notes', { title: 'Draft' }, { token })).body;
      await t.api.patch(`/api/notes/${note.id}`, { title: 'Final' }, { token });
      await t.api.patch(`/api/notes/${note.id}`, { title: 'Final' }, { token });
      await t.api.delete(`/api/notes/${note.id}`, { token });

      const trail = await t.api.get(`/api/audit?entity=note&entityId=${note.id}`, { token });
      expect(trail.status).toBe(200);
      expect(trail.body.items.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'update', 'create']);
      expect(trail.body.items[1]).toMatchObject({
        actorUserId: tenant.admin.id,
        changes: { title: { from: 'Draft', to: 'Final' } },
        requestId: expect.any(String),
      });
      expect(trail.body.items[0].changes).toMatchObject({ title: 'Final' });

      const updates = await t.api.get('/api/audit?action=update', { token });
      expect(updates.body.items).toHaveLength(1);
      const page = await t.api.get('/api/audit?limit=2', { token });
      const next = await t.api.get(`/api/audit?limit=2&cursor=${page.body.nextCursor}`, { token });
      expect([...page.body.items, ...next.body.items].map((entry: { action: string }) => entry.action)).toEqual([
        'delete',
        'update',
        'create',
      ]);

      const [{ database_name: database }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
      const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
      url.pathname = `/${database}`;
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        expect((await client.query('SELECT count(*)::int AS n FROM data_audit WHERE entity_id = $1', [note.id])).rows[0].n).toBe(3);
      } finally {
        await client.end();
      }
    });

    it('leaves no entry for a refused change, shows each tenant only its own trail, and only to roles with audit.read', async () => {
      const a = await tenantWithUsers(t.api, platformAdmin);
      const b = await adminSession();
      const aAdmin = (await loginAs(t.api, a.admin.email, a.admin.password)).accessToken;
      const note = (await t.api.post('/api/notes', { title: 'mine' }, { token: aAdmin })).body;
      const refused = await t.api.patch(`/api/notes/${note.id}`, { parentId: '00000000-0000-4000-8000-000000000000' }, { token: aAdmin });
      expect(refused.status).toBe(404);
      expect((await t.api.get(`/api/audit?entityId=${note.id}`, { token: aAdmin })).body.items).toHaveLength(1);

      expect((await t.api.get(`/api/audit?entityId=${note.id}`, { token: b.token })).body.items).toHaveLength(0);
      const memberToken = (await loginAs(t.api, a.member.email, a.member.password)).accessToken;
      const forbidden = await t.api.get('/api/audit', { token: memberToken });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.message).toMatch(/audit.read/);
      expect((await t.api.get('/api/audit?entity=DROP%20TABLE', { token: aAdmin })).status).toBe(400);
      expect((await t.api.get('/api/audit?cursor=garbage', { token: aAdmin })).status).toBe(400);
    });
  });
});
