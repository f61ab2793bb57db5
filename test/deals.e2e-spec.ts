import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Deals over HTTP: exact amounts from line items, the stage history, links within the tenant. */
describe.each(['pooled', 'dedicated'])('deals (%s tenant)', (placement) => {
  let platformAdmin: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
  });

  const session = (plan = 'professional') => tenantAdminSession(t.api, platformAdmin, { placement, plan });

  it('computes the amount from line items exactly and records every stage change with who and when', async () => {
    const { tenant, token } = await session();
    const account = (await t.api.post('/api/accounts', { name: 'Acme' }, { token })).body.id;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    const lineItems = [
      { description: 'Licence', quantity: 3, unitPriceMinor: 120_000 },
      { description: 'Support', quantity: 7, unitPriceMinor: 33_333 },
    ];
    const created = await t.api.post(
      '/api/deals',
      { name: 'Acme renewal', accountId: account, lineItems, expectedCloseDate: '2027-03-31' },
      { token },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stage: 'lead', amountMinor: 3 * 120_000 + 7 * 33_333, currency: 'EUR', accountId: account });

    await t.api.patch(`/api/deals/${created.body.id}`, { stage: 'proposal' }, { token });
    await t.api.patch(`/api/deals/${created.body.id}`, { stage: 'won' }, { token });
    const deal = (await t.api.get(`/api/deals/${created.body.id}`, { token })).body;
    expect(
      deal.stageHistory.map((change: { fromStage: string | null; toStage: string }) => `${change.fromStage}->${change.toStage}`),
    ).toEqual(['null->lead', 'lead->proposal', 'proposal->won']);
    expect(deal.stageHistory[2].changedBy).toBe(tenant.admin.id);
    expect(deal.lineItems).toEqual(lineItems);

    const mismatch = await t.api.post('/api/deals', { name: 'Wrong', lineItems, amountMinor: 1 }, { token });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.details).toEqual([{ field: 'amountMinor', problems: [`must be ${3 * 120_000 + 7 * 33_333}`] }]);
    const won = (await t.api.get('/api/deals?stage=won&minAmount=500000', { token })).body.items;
    expect(won.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });

  it('refuses links to another tenant’s records and invalid values, naming the field', async () => {
    const mine = await session();
    const theirs = await session();
    const foreign = (await t.api.post('/api/accounts', { name: 'Foreign' }, { token: theirs.token })).body.id;
    const refused = await t.api.post('/api/deals', { name: 'Sneaky', accountId: foreign }, { token: mine.token });
    expect(refused.status).toBe(404);
    expect(refused.body.details).toEqual([{ field: 'accountId', problems: ['unknown account'] }]);
    const bad = await t.api.post(
      '/api/deals',
      { name: 'Bad', stage: 'dreaming', amountMinor: -5, currency: 'euro', expectedCloseDate: '31.03.2027' },
      { token: mine.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'amountMinor',
      'currency',
      'expectedCloseDate',
      'stage',
    ]);
    const deal = (await t.api.post('/api/deals', { name: 'Mine' }, { token: mine.token })).body.id;
    expect((await t.api.get(`/api/deals/${deal}`, { token: theirs.token })).status).toBe(404);
  });

  it('changes only the fields sent, deletes softly and restores a deal with its line items, auditing each step', async () => {
    const { token } = await session();
    const mine = await session();
    const lineItems = [{ description: 'Seats', quantity: 10, unitPriceMinor: 1_999 }];
    const deal = (await t.api.post('/api/deals', { name: 'Seats', lineItems }, { token })).body;
    const renamed = await t.api.patch(`/api/deals/${deal.id}`, { name: 'Seats 2027' }, { token });
    expect(renamed.body).toMatchObject({ name: 'Seats 2027', amountMinor: 19_990, lineItems });

    expect((await t.api.delete(`/api/deals/${deal.id}`, { token: mine.token })).status).toBe(404);
    expect((await t.api.delete(`/api/deals/${deal.id}`, { token })).status).toBe(204);
    expect((await t.api.get(`/api/deals/${deal.id}`, { token })).status).toBe(404);
    expect((await t.api.get('/api/deals', { token })).body.items).toEqual([]);
    expect((await t.api.post(`/api/deals/${deal.id}/restore`, undefined, { token: mine.token })).status).toBe(404);
    const restored = await t.api.post(`/api/deals/${deal.id}/restore`, undefined, { token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: deal.id, name: 'Seats 2027', lineItems });
    expect((await t.api.post(`/api/deals/${deal.id}/restore`, undefined, { token })).status).toBe(404);
    expect((await t.api.get('/api/deals', { token })).body.items.map((item: { id: string }) => item.id)).toEqual([deal.id]);
    const trail = (await t.api.get(`/api/audit?entity=deal&entityId=${deal.id}`, { token })).body.items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['update', 'delete', 'update', 'create']);
  });

  it('is refused with 403 for a tenant whose plan lacks the deals module', async () => {
    const { tenant, token } = await session('starter');
    const response = await t.api.get('/api/deals', { token });
    expect(response.status).toBe(403);
    expect(response.body.message).toBe(`The deals module is not enabled for tenant "${tenant.slug}"`);
  });
});
