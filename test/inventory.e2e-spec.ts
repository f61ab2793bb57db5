import { adminToken, inviteIntoTenant, loginAs, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Inventory over HTTP: stock changes only through movements, never below zero, whatever runs at once. */
describe.each(['pooled', 'dedicated'])('inventory (%s tenant)', (placement) => {
  let platformAdmin: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
  });

  async function session(plan = 'professional') {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin, { placement, plan });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    return { tenant, token };
  }

  const item = (token: string, body: object) =>
    t.api.post(
      '/api/inventory/items',
      { sku: `SKU-${Math.random().toString(36).slice(2, 10)}`, name: 'Roadster', priceSellingMinor: 2_499_000, ...body },
      { token },
    );

  it('records every movement with who, why and the levels it left, and derives the status from the stock', async () => {
    const { tenant, token } = await session();
    const created = await item(token, { sku: 'VH-0042', initialStock: 2, lowStockThreshold: 1 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku: 'VH-0042', stockOnHand: 2, reserved: 0, available: 2, currency: 'EUR', status: 'available' });
    const id = created.body.id;
    const move = (body: object) => t.api.post(`/api/inventory/items/${id}/movements`, body, { token });

    expect((await move({ kind: 'reserve', quantity: 2, reason: 'Test drive booked' })).body).toMatchObject({
      stockAfter: 2,
      reservedAfter: 2,
      createdBy: tenant.admin.id,
    });
    expect((await t.api.get(`/api/inventory/items/${id}`, { token })).body).toMatchObject({ status: 'reserved', available: 0 });
    const oversold = await move({ kind: 'sell', quantity: 1, reason: 'Walk-in' });
    expect(oversold.status).toBe(409);
    expect(oversold.body.message).toBe('VH-0042: Not enough stock to sell 1: 0 available (2 on hand, 2 reserved)');
    expect((await move({ kind: 'release', quantity: 3, reason: 'Cancelled' })).body.message).toBe(
      'VH-0042: Cannot release 3: only 2 reserved',
    );
    await move({ kind: 'release', quantity: 2, reason: 'Test drive cancelled' });
    await move({ kind: 'sell', quantity: 2, reason: 'Sold to Acme', reference: 'INV-7' });
    expect((await t.api.get(`/api/inventory/items/${id}`, { token })).body).toMatchObject({ stockOnHand: 0, status: 'sold' });
    expect((await move({ kind: 'adjust', quantity: -1, reason: 'Count' })).status).toBe(409);
    expect((await move({ kind: 'receive', quantity: -1, reason: 'Wrong sign' })).body.details).toEqual([
      { field: 'quantity', problems: ['must be positive for this kind'] },
    ]);
    expect((await move({ kind: 'receive', quantity: 1 })).body.details[0].field).toBe('reason');
    expect((await move({ kind: 'adjust', quantity: 3, reason: 'Found in the back lot' })).body).toMatchObject({ stockAfter: 3 });

    const history = (await t.api.get(`/api/inventory/items/${id}/movements`, { token })).body.items;
    expect(history.map((m: { kind: string; quantity: number; stockAfter: number }) => `${m.kind} ${m.quantity} → ${m.stockAfter}`)).toEqual(
      ['receive 2 → 2', 'reserve 2 → 2', 'release 2 → 2', 'sell 2 → 0', 'adjust 3 → 3'],
    );
    expect(history[3]).toMatchObject({ reason: 'Sold to Acme', reference: 'INV-7' });

    const stockEdit = await t.api.patch(`/api/inventory/items/${id}`, { stockOnHand: 100 }, { token });
    expect(stockEdit.status).toBe(400);
    expect(stockEdit.body.details[0].field).toBe('stockOnHand');
    expect((await t.api.patch(`/api/inventory/items/${id}`, { status: 'archived' }, { token })).body.status).toBe('archived');
    expect((await move({ kind: 'receive', quantity: 1, reason: 'x' })).body.message).toBe(
      'Inventory item VH-0042 is archived and takes no movements',
    );
  });

  it('never lets 50 concurrent sales take stock below zero: exactly the stock on hand is sold', async () => {
    const { token } = await session();
    const { id } = (await item(token, { initialStock: 20 })).body;
    const sales = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.api.post(
          `/api/inventory/items/${id}/movements`,
          { kind: i % 5 === 0 ? 'reserve' : 'sell', quantity: 1, reason: `order ${i}` },
          { token },
        ),
      ),
    );
    const statuses = sales.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    const history = (await t.api.get(`/api/inventory/items/${id}/movements?limit=100`, { token })).body.items;
    expect(history).toHaveLength(21);
    for (const movement of history) expect(movement.stockAfter).toBeGreaterThanOrEqual(movement.reservedAfter);
    const sold = history.filter((movement: { kind: string }) => movement.kind === 'sell').length;
    const reserved = history.filter((movement: { kind: string }) => movement.kind === 'reserve').length;
    expect((await t.api.get(`/api/inventory/items/${id}`, { token })).body).toMatchObject({
      stockOnHand: 20 - sold,
      reserved,
      available: 0,
    });
  });

  it('filters by status, price range and low stock, searches SKU and name, and pages every item exactly once', async () => {
    const { token } = await session();
    const cheap = (
      await item(token, { sku: 'CHEAP-1', name: 'Floor mat', priceSellingMinor: 2_500, initialStock: 1, lowStockThreshold: 3 })
    ).body;
    const dear = (
      await item(token, { sku: 'DEAR-1', name: 'Roadster', priceSellingMinor: 5_000_000, initialStock: 10, lowStockThreshold: 3 })
    ).body;
    const archived = (await item(token, { sku: 'OLD-1', name: 'Old model', priceSellingMinor: 900_000 })).body;
    await t.api.patch(`/api/inventory/items/${archived.id}`, { status: 'archived' }, { token });
    const ids = async (query: string) =>
      (await t.api.get(`/api/inventory/items?${query}`, { token })).body.items.map((row: { id: string }) => row.id);

    expect(await ids('lowStock=true')).toEqual([cheap.id, archived.id]);
    expect(await ids('minPrice=100000&maxPrice=5000000&status=available')).toEqual([dear.id]);
    expect(await ids('status=archived')).toEqual([archived.id]);
    expect(await ids('search=floor')).toEqual([cheap.id]);
    expect(await ids('search=dear-')).toEqual([dear.id]);
    expect(await ids('sort=-priceSellingMinor')).toEqual([dear.id, archived.id, cheap.id]);
    const first = (await t.api.get('/api/inventory/items?sort=priceSellingMinor&limit=2', { token })).body;
    const second = (await t.api.get(`/api/inventory/items?sort=priceSellingMinor&limit=2&cursor=${first.nextCursor}`, { token })).body;
    expect([...first.items, ...second.items].map((row: { id: string }) => row.id)).toEqual([cheap.id, archived.id, dear.id]);
    expect((await t.api.get('/api/inventory/items?lowStock=maybe', { token })).body.details[0].field).toBe('lowStock');
  });

  it('keeps SKUs unique per tenant, soft-deletes and restores, and hides each tenant’s items from the others', async () => {
    const mine = await session();
    const theirs = await session();
    const created = (await item(mine.token, { sku: 'SAME-1' })).body;
    const taken = await item(mine.token, { sku: 'SAME-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.details).toEqual([{ field: 'sku', problems: ['already exists'] }]);
    expect((await item(theirs.token, { sku: 'SAME-1' })).status).toBe(201);
    expect((await item(mine.token, { sku: "x'; DROP TABLE inventory_items; --" })).body.details[0].field).toBe('sku');

    for (const [method, path, body] of [
      ['get', `/api/inventory/items/${created.id}`, undefined],
      ['patch', `/api/inventory/items/${created.id}`, { name: 'Mine now' }],
      ['post', `/api/inventory/items/${created.id}/movements`, { kind: 'receive', quantity: 1, reason: 'steal' }],
      ['get', `/api/inventory/items/${created.id}/movements`, undefined],
      ['delete', `/api/inventory/items/${created.id}`, undefined],
    ] as const) {
      const response =
        method === 'get' || method === 'delete'
          ? await t.api[method](path, { token: theirs.token })
          : await t.api[method](path, body, { token: theirs.token });
      expect(response.status).toBe(404);
    }

    expect((await t.api.delete(`/api/inventory/items/${created.id}`, { token: mine.token })).status).toBe(204);
    expect((await t.api.get(`/api/inventory/items/${created.id}`, { token: mine.token })).status).toBe(404);
    expect((await t.api.post(`/api/inventory/items/${created.id}/restore`, undefined, { token: mine.token })).body).toMatchObject({
      sku: 'SAME-1',
      deletedAt: null,
    });
    const trail = (await t.api.get(`/api/audit?entity=inventory_item&entityId=${created.id}`, { token: mine.token })).body.items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['update', 'delete', 'create']);
  });

  it('answers 403 on a plan without inventory, and to a role without inventory.write', async () => {
    const starter = await session('starter');
    const disabled = await t.api.get('/api/inventory/items', { token: starter.token });
    expect(disabled.status).toBe(403);
    expect(disabled.body.message).toBe(`The inventory module is not enabled for tenant "${starter.tenant.slug}"`);

    const { tenant, token } = await session();
    expect((await t.api.post('/api/roles', { name: 'stock_viewer', permissions: ['inventory.read'] }, { token })).status).toBe(201);
    await inviteIntoTenant(t.api, token, `viewer-${tenant.slug}@example.test`, 'stock_viewer');
    const viewer = (await loginAs(t.api, `viewer-${tenant.slug}@example.test`, 'a-long-enough-password')).accessToken;
    expect((await t.api.get('/api/inventory/items', { token: viewer })).status).toBe(200);
    const refused = await item(viewer, {});
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/inventory.write/);
  });
});
