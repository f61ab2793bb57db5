import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { adminToken } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { startTcpRelay } from './support/tcp-relay';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Writes a customer's database refuses for their data (outside its ENUM, longer than its column,
 * a duplicate of a UNIQUE value) are the request's fault: each answers a 4xx naming our field, and
 * however many there are, the tenant's circuit breaker stays closed. A real outage still opens it.
 */
const suffix = randomBytes(4).toString('hex');
const legacyName = `byod_ref_${suffix}`;
const PG_ROLE = `byod_ref_${suffix}`;
const PG_PASSWORD = `pg-refusals-${suffix}`;
/** The breaker opens after volumeThreshold (3) calls of which half fail (libs/byod/sql-source.ts); this is well past it. */
const REFUSED_ROUNDS = 5;

const STATES = `'IN_STOCK', 'HOLD', 'SOLD', 'RETIRED'`;
/** The states once the customer narrows its column after the mapping was checked: RETIRED is gone. */
const NARROWED = {
  mysql: `ALTER TABLE stock_items MODIFY item_state ENUM('IN_STOCK', 'HOLD', 'SOLD') NOT NULL`,
  postgres: `ALTER TABLE stock_items DROP CONSTRAINT stock_items_item_state_check,
    ADD CONSTRAINT stock_items_item_state_check CHECK (item_state IN ('IN_STOCK', 'HOLD', 'SOLD'))`,
};
const LEGACY_TABLE = {
  mysql: `CREATE TABLE stock_items (
    item_code varchar(32) PRIMARY KEY,
    item_label varchar(8) NOT NULL UNIQUE,
    qty integer NOT NULL,
    unit_price decimal(12,2) NOT NULL,
    item_state ENUM(${STATES}) NOT NULL
  )`,
  postgres: `CREATE TABLE stock_items (
    item_code varchar(32) PRIMARY KEY,
    item_label varchar(8) NOT NULL UNIQUE,
    qty integer NOT NULL,
    unit_price decimal(12,2) NOT NULL,
    item_state varchar(16) NOT NULL CHECK (item_state IN (${STATES}))
  )`,
};
const LEGACY_ROWS = `INSERT INTO stock_items VALUES ('A-1', 'Alpha', 3, 10.00, 'IN_STOCK'), ('B-1', 'Beta', 1, 20.00, 'HOLD')`;
/**
 * `archived` maps to RETIRED, which the column holds when the mapping is checked; the customer then
 * narrows the column (NARROWED), so only its database can refuse the write.
 */
const MAPPING = {
  table: 'stock_items',
  fields: { sku: 'item_code', name: 'item_label', stock_on_hand: 'qty', price_selling_minor: 'unit_price', status: 'item_state' },
  valueMaps: { status: { available: 'IN_STOCK', reserved: 'HOLD', sold: 'SOLD', archived: 'RETIRED' } },
};

/** A customer's REST API holding one item, refusing a title longer than its store takes (422 naming the property). */
function itemsApi() {
  const item = { code: 'A-1', title: 'Alpha', units: 3, price: 10, state: 'in_stock' };
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url!, 'http://api');
    if (url.pathname === '/') return send(response, 200, { ok: true });
    let body: Record<string, unknown> = {};
    for await (const chunk of request) body = JSON.parse(String(chunk));
    if (url.pathname === '/items' && request.method === 'GET') return send(response, 200, [item]);
    if (url.pathname !== '/items/A-1') return send(response, 404, { message: 'not found' });
    if (request.method === 'PATCH') {
      if (typeof body.title === 'string' && body.title.length > 8)
        return send(response, 422, { message: 'title too long', field: 'title' });
      Object.assign(item, body);
    }
    return send(response, 200, item);
  };
  return createServer((request, response) => void handle(request, response));
}

describe('byod writes the customer database refuses for their data', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    await mysql.query(LEGACY_TABLE.mysql);
    await mysql.query(LEGACY_ROWS);
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${legacyName}`);
    await onLegacyPostgres('postgres', `CREATE ROLE ${PG_ROLE} LOGIN PASSWORD '${PG_PASSWORD}'`);
    await onLegacyPostgres(
      legacyName,
      `${LEGACY_TABLE.postgres}; ${LEGACY_ROWS}; GRANT SELECT, INSERT, UPDATE, DELETE ON stock_items TO ${PG_ROLE}`,
    );
    t = await startTestApp({
      env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '1500', BYOD_BREAKER_RESET_MS: '10000' },
    });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${PG_ROLE}`);
  });

  async function byodTenant(connection: object, mapping: object = MAPPING): Promise<string> {
    const { token } = await activeByodTenant(t.api, admin, { settings: connection, entities: { inventory_item: mapping } });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    return token;
  }

  const sources = {
    mysql: (port = LEGACY_MYSQL.port) => ({
      kind: 'mysql',
      connection: { host: LEGACY_MYSQL.host, port, database: legacyName, user: 'root', password: '' },
    }),
    postgres: () => {
      const url = new URL(legacyPostgresUrl(legacyName));
      return {
        kind: 'postgres',
        connection: { host: url.hostname, port: Number(url.port || 5432), database: legacyName, user: PG_ROLE, password: PG_PASSWORD },
      };
    },
  };

  it('answers each refused MariaDB write with a 4xx naming the field, and keeps serving reads and valid writes', async () => {
    const token = await byodTenant(sources.mysql());
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
    await mysql.query(NARROWED.mysql);
    for (let round = 0; round < REFUSED_ROUNDS; round += 1) {
      const outsideEnum = await t.api.patch('/api/inventory/items/A-1', { status: 'archived' }, { token });
      expect(outsideEnum.status).toBe(422);
      expect(outsideEnum.body.details).toEqual([{ field: 'status', problems: [expect.any(String)] }]);

      const tooLong = await t.api.post(
        '/api/inventory/items',
        { sku: `N-${round}`, name: 'Far too long', priceSellingMinor: 100 },
        { token },
      );
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.details).toEqual([{ field: 'name', problems: [expect.any(String)] }]);

      const duplicate = await t.api.patch('/api/inventory/items/A-1', { name: 'Beta' }, { token });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.details).toEqual([{ field: 'name', problems: [expect.any(String)] }]);
      for (const answer of [outsideEnum, tooLong, duplicate]) {
        expect(answer.body.message).not.toMatch(/stock_items|item_label|item_state|UPDATE|INSERT|Duplicate entry|RETIRED/);
      }
    }

    const list = await t.api.get('/api/inventory/items', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { sku: string; name: string; status: string }) => [item.sku, item.name, item.status])).toEqual([
      ['A-1', 'Alpha', 'available'],
      ['B-1', 'Beta', 'reserved'],
    ]);
    const created = await t.api.post('/api/inventory/items', { sku: 'C-1', name: 'Gamma', priceSellingMinor: 500 }, { token });
    expect(created.status).toBe(201);
    const changed = await t.api.patch('/api/inventory/items/A-1', { name: 'Alef', status: 'available' }, { token });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ sku: 'A-1', name: 'Alef', status: 'available' });
    // The later tests map this table again: it holds RETIRED once more.
    await mysql.query(`ALTER TABLE stock_items MODIFY item_state ENUM(${STATES}) NOT NULL`);
    await mysql.end();
  }, 60_000);

  it('answers the same refusals from a PostgreSQL source, naming the field, without pausing the tenant', async () => {
    const token = await byodTenant(sources.postgres());
    await onLegacyPostgres(legacyName, NARROWED.postgres);
    for (let round = 0; round < REFUSED_ROUNDS; round += 1) {
      const tooLong = await t.api.patch('/api/inventory/items/B-1', { name: 'Far too long' }, { token });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.details).toEqual([{ field: 'name', problems: [expect.any(String)] }]);

      const duplicate = await t.api.post('/api/inventory/items', { sku: `N-${round}`, name: 'Alpha', priceSellingMinor: 100 }, { token });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.details).toEqual([{ field: 'name', problems: [expect.any(String)] }]);

      expect((await t.api.patch('/api/inventory/items/B-1', { status: 'archived' }, { token })).status).toBe(422);
    }
    expect((await t.api.get('/api/inventory/items/B-1', { token })).status).toBe(200);
    expect((await t.api.post('/api/inventory/items', { sku: 'P-1', name: 'Pi', priceSellingMinor: 100 }, { token })).status).toBe(201);
  }, 60_000);

  it('answers a REST source’s refusals with a 422 naming the field, without pausing the tenant', async () => {
    const api = itemsApi();
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const token = await byodTenant(
        { kind: 'rest', connection: { baseUrl, apiKey: 'refusals-api-key' } },
        {
          table: 'items',
          fields: { sku: 'code', name: 'title', stock_on_hand: 'units', price_selling_minor: 'price', status: 'state' },
          valueMaps: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired' } },
        },
      );
      for (let round = 0; round < REFUSED_ROUNDS; round += 1) {
        const tooLong = await t.api.patch('/api/inventory/items/A-1', { name: 'Far too long' }, { token });
        expect(tooLong.status).toBe(422);
        expect(tooLong.body.details).toEqual([{ field: 'name', problems: [expect.any(String)] }]);
      }
      expect((await t.api.get('/api/inventory/items', { token })).status).toBe(200);
      const changed = await t.api.patch('/api/inventory/items/A-1', { name: 'Alef' }, { token });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ sku: 'A-1', name: 'Alef' });
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  }, 60_000);

  it('still answers 503 when the customer database itself is unreachable', async () => {
    const relay = await startTcpRelay(LEGACY_MYSQL.host, LEGACY_MYSQL.port);
    const token = await byodTenant(sources.mysql(relay.port));
    expect((await t.api.get('/api/inventory/items', { token })).status).toBe(200);
    await relay.down();
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push((await t.api.patch('/api/inventory/items/A-1', { name: 'Delta' }, { token })).status);
    expect(answers).toEqual([503, 503, 503, 503]);
    const paused = await t.api.get('/api/inventory/items', { token });
    expect(paused.status).toBe(503);
    expect(paused.body.message).toMatch(/paused after repeated failures/);
  }, 60_000);
});
