import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { adminToken, createTenant, loginAs } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A tenant whose inventory lives behind its own REST API (a local server speaking Tenantry's REST
 * contract): the same /api/inventory/items routes, retries of idempotent calls, limits, no secrets.
 */
interface Vehicle {
  code: string;
  title: string;
  units: number;
  price: number;
  state: string;
}

const API_KEY = 'rest-api-key-never-shown';

/** The customer's API: its own property names, decimal prices in major units, its own status words. */
function vehiclesApi() {
  const vehicles = new Map<string, Vehicle>([
    ['VH-1', { code: 'VH-1', title: 'Roadster', units: 2, price: 24990.0, state: 'in_stock' }],
    ['VH-2', { code: 'VH-2', title: 'Van', units: 0, price: 31500.5, state: 'sold' }],
    ['VH-3', { code: 'VH-3', title: 'Coupe', units: 5, price: 18000.0, state: 'on_hold' }],
  ]);
  const calls: Array<{ method: string; url: string; authorization?: string }> = [];
  const failures = { get: 0, post: 0, huge: false };
  const send = (response: ServerResponse, status: number, body?: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    calls.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
    if (request.headers.authorization !== `Bearer ${API_KEY}`) return send(response, 401, { message: 'no key' });
    if (request.method === 'GET' && failures.get > 0) {
      failures.get -= 1;
      return send(response, 503, { message: 'busy' });
    }
    if (request.method === 'POST' && failures.post > 0) {
      failures.post -= 1;
      return send(response, 503, { message: 'busy' });
    }
    const url = new URL(request.url!, 'http://api');
    if (url.pathname === '/') return send(response, 200, { ok: true });
    const [, resource, key] = url.pathname.split('/').map(decodeURIComponent);
    if (resource !== 'vehicles') return send(response, 404, { message: 'no such resource' });
    let body: Record<string, unknown> = {};
    for await (const chunk of request) body = JSON.parse(String(chunk));
    if (!key && request.method === 'GET') {
      if (failures.huge)
        return send(
          response,
          200,
          Array.from({ length: 60_000 }, (_, i) => ({ code: `X${i}`, title: 'x'.repeat(60) })),
        );
      let rows = [...vehicles.values()];
      const q = url.searchParams.get('q')?.toLowerCase();
      if (q) rows = rows.filter((row) => row.code.toLowerCase().includes(q) || row.title.toLowerCase().includes(q));
      if (url.searchParams.has('state')) rows = rows.filter((row) => row.state === url.searchParams.get('state'));
      if (url.searchParams.has('price_gte')) rows = rows.filter((row) => row.price >= Number(url.searchParams.get('price_gte')));
      if (url.searchParams.has('price_lte')) rows = rows.filter((row) => row.price <= Number(url.searchParams.get('price_lte')));
      const sort = (url.searchParams.get('sort') ?? 'code') as keyof Vehicle;
      rows.sort((a, b) => (a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : 0) * (url.searchParams.get('order') === 'desc' ? -1 : 1));
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return send(response, 200, { items: rows.slice(offset, offset + Number(url.searchParams.get('limit') ?? 50)) });
    }
    if (!key && request.method === 'POST') {
      if (vehicles.has(String(body.code))) return send(response, 409, { message: `vehicle ${String(body.code)} exists` });
      vehicles.set(String(body.code), body as unknown as Vehicle);
      return send(response, 201, body);
    }
    const vehicle = vehicles.get(key);
    if (!vehicle) return send(response, 404, { message: 'not found' });
    if (request.method === 'GET') return send(response, 200, vehicle);
    if (request.method === 'PATCH') return send(response, 200, Object.assign(vehicle, body));
    if (request.method === 'DELETE') {
      vehicles.delete(key);
      return send(response, 204);
    }
    return send(response, 405, { message: 'method not allowed' });
  };
  const server = createServer((request, response) => void handle(request, response));
  return { server, calls, failures, vehicles };
}

describe('byod tenant on a REST API', () => {
  let t: TestApp;
  let admin: string;
  let api: ReturnType<typeof vehiclesApi>;
  let token: string;
  let tenantId: string;

  beforeAll(async () => {
    api = vehiclesApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    t = await startTestApp({
      env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '2000', BYOD_BREAKER_RESET_MS: '1000' },
    });
    admin = await adminToken(t.api);
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    tenantId = tenant.id;
    const base = `/control/tenants/${tenant.id}/data-source`;
    expect(
      (await t.api.put(base, { kind: 'rest', connection: { baseUrl, apiKey: API_KEY }, readOnly: false }, { token: admin })).status,
    ).toBe(200);
    expect((await t.api.post(`${base}/test`, undefined, { token: admin })).status).toBe(200);
    const mapping = {
      table: 'vehicles',
      fields: { sku: 'code', name: 'title', stock_on_hand: 'units', price_selling_minor: 'price', status: 'state' },
      valueMaps: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired' } },
    };
    const mapped = await t.api.put(`${base}/mappings`, { entities: { inventory_item: mapping } }, { token: admin });
    expect(mapped.status).toBe(200);
    expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
    token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
  });

  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('checks mappings against a sample of the resource: unknown properties and wrong types are named', async () => {
    const refused = await t.api.put(
      `/control/tenants/${tenantId}/data-source/mappings`,
      {
        entities: {
          inventory_item: {
            table: 'vehicles',
            fields: { sku: 'code', name: 'nope', stock_on_hand: 'title', price_selling_minor: 'price' },
          },
        },
      },
      { token: admin },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'mappings.inventory_item.fields.name',
      'mappings.inventory_item.fields.stock_on_hand',
    ]);
    const missing = await t.api.put(
      `/control/tenants/${tenantId}/data-source/mappings`,
      { entities: { account: { table: 'companies', fields: { id: 'id', name: 'name' } } } },
      { token: admin },
    );
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/GET \/companies answered HTTP 404/);
  });

  it('lists, filters, sorts, pages and reads through the API, values translated, the key sent every time', async () => {
    const ids = async (query: string) =>
      (await t.api.get(`/api/inventory/items?${query}`, { token })).body.items.map((item: { id: string }) => item.id);
    const first = (await t.api.get('/api/inventory/items?sort=-priceSellingMinor&limit=2', { token })).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual(['VH-2', 'VH-1']);
    expect(first.items[0]).toMatchObject({ name: 'Van', stockOnHand: 0, priceSellingMinor: 3_150_050, status: 'sold', currency: 'EUR' });
    expect(
      (await t.api.get(`/api/inventory/items?sort=-priceSellingMinor&limit=2&cursor=${first.nextCursor}`, { token })).body.items.map(
        (item: { id: string }) => item.id,
      ),
    ).toEqual(['VH-3']);
    expect(await ids('status=reserved')).toEqual(['VH-3']);
    expect(await ids('minPrice=2000000&maxPrice=3000000')).toEqual(['VH-1']);
    expect(await ids('search=road')).toEqual(['VH-1']);
    expect((await t.api.get('/api/inventory/items/VH-3', { token })).body).toMatchObject({
      priceSellingMinor: 1_800_000,
      status: 'reserved',
    });
    expect((await t.api.get('/api/inventory/items/VH-404', { token })).status).toBe(404);
    expect((await t.api.get('/api/inventory/items?lowStock=true', { token })).status).toBe(409);
    expect(api.calls.every((call) => call.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('creates, changes and deletes through the API; refuses what REST cannot do atomically', async () => {
    const created = await t.api.post(
      '/api/inventory/items',
      { sku: 'VH-9', name: 'Pickup', priceSellingMinor: 1_234_567, initialStock: 1 },
      { token },
    );
    expect(created.status).toBe(201);
    expect(api.vehicles.get('VH-9')).toEqual({ code: 'VH-9', title: 'Pickup', units: 1, price: 12345.67, state: 'in_stock' });
    expect((await t.api.patch('/api/inventory/items/VH-9', { status: 'archived' }, { token })).body.status).toBe('archived');
    expect(api.vehicles.get('VH-9')!.state).toBe('retired');
    const moved = await t.api.post('/api/inventory/items/VH-9/movements', { kind: 'sell', quantity: 1, reason: 'walk-in' }, { token });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/cannot change stock atomically/);
    expect((await t.api.delete('/api/inventory/items/VH-9', { token })).status).toBe(204);
    expect((await t.api.delete('/api/inventory/items/VH-9', { token })).status).toBe(404);
  });

  it('retries idempotent calls through brief failures, never retries a create, and bounds answers', async () => {
    api.failures.get = 2;
    expect((await t.api.get('/api/inventory/items/VH-1', { token })).status).toBe(200);
    api.failures.post = 1;
    const before = api.calls.filter((call) => call.method === 'POST').length;
    const create = await t.api.post('/api/inventory/items', { sku: 'VH-10', name: 'Bus', priceSellingMinor: 100 }, { token });
    expect(create.status).toBe(503);
    expect(api.calls.filter((call) => call.method === 'POST').length - before).toBe(1);
    expect(create.body.message).not.toContain(API_KEY);
    api.failures.huge = true;
    const huge = await t.api.get('/api/inventory/items', { token });
    api.failures.huge = false;
    expect(huge.status).toBe(503);
    expect(huge.body.message).toMatch(/larger than/);
  });
});
