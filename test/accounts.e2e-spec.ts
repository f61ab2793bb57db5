import { adminToken, inviteIntoTenant, createTenant, loginAs } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The accounts module over HTTP, for pooled and dedicated tenants: the pattern every CRM module follows. */
describe.each(['pooled', 'dedicated'])('accounts (%s tenant)', (placement) => {
  let platformAdmin: string;
  let token: string;
  let other: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
    const session = async () => {
      const tenant = await createTenant(t.api, platformAdmin, { placement });
      return (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    };
    token = await session();
    other = await session();
  });

  const create = (api: HttpClient, body: object, as = token) => api.post('/api/accounts', body, { token: as });

  it('creates, reads, changes, deletes softly and restores an account, auditing each change', async () => {
    const created = await create(t.api, {
      name: 'Acme Corporation',
      domain: 'acme.example',
      industry: 'Manufacturing',
      country: 'DE',
      city: 'Berlin',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await t.api.get(`/api/accounts/${id}`, { token })).body).toMatchObject({
      name: 'Acme Corporation',
      country: 'DE',
      deletedAt: null,
    });

    const changed = await t.api.patch(`/api/accounts/${id}`, { industry: 'Robotics' }, { token });
    expect(changed.body).toMatchObject({ industry: 'Robotics', name: 'Acme Corporation' });
    expect((await t.api.delete(`/api/accounts/${id}`, { token })).status).toBe(204);
    expect((await t.api.get(`/api/accounts/${id}`, { token })).status).toBe(404);
    const deleted = await t.api.get('/api/accounts?deleted=true', { token });
    expect(deleted.body.items.map((account: { id: string }) => account.id)).toContain(id);
    expect((await t.api.post(`/api/accounts/${id}/restore`, undefined, { token })).body.deletedAt).toBeNull();

    const trail = (await t.api.get(`/api/audit?entity=account&entityId=${id}`, { token })).body.items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['update', 'delete', 'update', 'create']);
    expect(trail[2].changes).toEqual({ industry: { from: 'Manufacturing', to: 'Robotics' } });
  });

  it('answers 404 for another tenant’s account, exactly as for a missing one', async () => {
    const mine = (await create(t.api, { name: 'Private Co' })).body.id;
    for (const response of [
      await t.api.get(`/api/accounts/${mine}`, { token: other }),
      await t.api.patch(`/api/accounts/${mine}`, { name: 'Hijacked' }, { token: other }),
      await t.api.delete(`/api/accounts/${mine}`, { token: other }),
      await t.api.get('/api/accounts/00000000-0000-4000-8000-000000000000', { token: other }),
    ]) {
      expect(response.status).toBe(404);
    }
    expect((await t.api.get(`/api/accounts/${mine}`, { token })).body.name).toBe('Private Co');
  });

  it('refuses invalid and unknown fields with 400 naming them, storing nothing', async () => {
    const before = (await t.api.get('/api/accounts?limit=100', { token })).body.items.length;
    const bad = await create(t.api, { name: '', domain: 'not a domain', country: 'Germany', rating: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['country', 'domain', 'name', 'rating']);
    expect((await create(t.api, { name: "x'); DROP TABLE accounts;--" })).status).toBe(201);
    expect((await t.api.get('/api/accounts?sort=password', { token })).status).toBe(400);
    expect((await t.api.get('/api/accounts?cursor=bm9wZQ', { token })).status).toBe(400);
    expect((await t.api.get('/api/accounts?limit=100', { token })).body.items.length).toBe(before + 1);
  });

  it('validates custom fields like built-in ones', async () => {
    const tenant = await createTenant(t.api, platformAdmin, { placement });
    const admin = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    expect(
      (
        await t.api.post(
          '/api/custom-fields',
          { entity: 'account', key: 'tax_id', label: 'Tax ID', type: 'text', required: true },
          { token: admin },
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await t.api.post(
          '/api/custom-fields',
          { entity: 'account', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
          { token: admin },
        )
      ).status,
    ).toBe(201);
    expect(
      (await t.api.post('/api/custom-fields', { entity: 'account', key: 'tier', label: 'Again', type: 'text' }, { token: admin })).status,
    ).toBe(409);
    expect(
      (await t.api.post('/api/custom-fields', { entity: 'account', key: 'mood', label: 'Mood', type: 'select' }, { token: admin })).status,
    ).toBe(400);

    const missing = await create(t.api, { name: 'No Tax', customFields: { tier: 'bronze', shoe_size: 44 } }, admin);
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([
      { field: 'customFields.tier', problems: ['customFields.tier must be one of: gold, silver'] },
      { field: 'customFields.shoe_size', problems: ['customFields.shoe_size is not a custom field of this tenant'] },
      { field: 'customFields.tax_id', problems: ['customFields.tax_id is required'] },
    ]);
    const valid = await create(t.api, { name: 'Taxed', customFields: { tax_id: 'DE123', tier: 'gold' } }, admin);
    expect(valid.body.customFields).toEqual({ tax_id: 'DE123', tier: 'gold' });
    expect((await t.api.patch(`/api/accounts/${valid.body.id}`, { customFields: { tax_id: null } }, { token: admin })).status).toBe(400);
    const cleared = await t.api.patch(`/api/accounts/${valid.body.id}`, { customFields: { tier: null } }, { token: admin });
    expect(cleared.body.customFields).toEqual({ tax_id: 'DE123' });
  });

  it('lists every account exactly once across pages while accounts are being added, with filters, search and sort', async () => {
    const tenant = await createTenant(t.api, platformAdmin, { placement });
    const admin = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    const names: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      const name = `Company ${String(i).padStart(2, '0')}`;
      names.push(name);
      await create(t.api, { name, industry: i % 2 === 0 ? 'Retail' : 'Energy' }, admin);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const page: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await t.api.get(
        `/api/accounts?limit=5&sort=name${cursor ? `&cursor=${cursor}` : ''}`,
        { token: admin },
      );
      seen.push(...page.body.items.map((account) => account.name));
      cursor = page.body.nextCursor;
      await create(t.api, { name: `Late ${inserted++}` }, admin);
    } while (cursor);
    expect(seen.filter((name) => name.startsWith('Company'))).toEqual(names);
    expect(new Set(seen).size).toBe(seen.length);

    const retail = (await t.api.get('/api/accounts?industry=Retail&sort=-name&limit=100', { token: admin })).body.items.map(
      (account: { name: string }) => account.name,
    );
    expect(retail).toEqual(names.filter((_, i) => i % 2 === 0).reverse());
    const found = (await t.api.get('/api/accounts?search=any%2015', { token: admin })).body.items;
    expect(found.map((account: { name: string }) => account.name)).toEqual(['Company 15']);
    expect((await t.api.get('/api/accounts?search=%25', { token: admin })).body.items).toHaveLength(0);
  });

  it('answers 403 when the tenant has disabled the module or the role lacks the permission', async () => {
    const tenant = await createTenant(t.api, platformAdmin, { placement });
    const admin = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    await t.api.post('/api/roles', { name: 'viewer', permissions: ['accounts.read'] }, { token: admin });
    await inviteIntoTenant(t.api, admin, `viewer-${tenant.slug}@example.test`, 'viewer');
    const viewer = (await loginAs(t.api, `viewer-${tenant.slug}@example.test`, 'a-long-enough-password')).accessToken;
    expect((await t.api.get('/api/accounts', { token: viewer })).status).toBe(200);
    const refused = await create(t.api, { name: 'Nope' }, viewer);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/accounts.write/);

    await t.api.delete('/api/tenant/modules/accounts', { token: admin });
    const disabled = await t.api.get('/api/accounts', { token: admin });
    expect(disabled.status).toBe(403);
    expect(disabled.body.message).toMatch(/accounts module is not enabled/);
  });
});
