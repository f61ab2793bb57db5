import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, createTenant, loginAs } from './support/factories';
import { startTcpRelay } from './support/tcp-relay';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Inventory, contacts and accounts served from a customer's own MariaDB and PostgreSQL tables
 * through the mapping: the same /api routes as every tenant, the customer's names and values underneath.
 */
const suffix = randomBytes(4).toString('hex');
const legacyName = `byod_inv_${suffix}`;
const PG_ROLE = `byod_inv_${suffix}`;
const PG_PASSWORD = `pg-inventory-${suffix}`;
const BREAKER_RESET_MS = 1_000;
// The longest the app serves a tenant's cached records (TENANT_CACHE_TTL_SECONDS): a test waits it out after changing the mappings.
const TENANT_CACHE_TTL_SECONDS = 1;

const LEGACY_TABLE = `CREATE TABLE vehicles (
  vehicle_id varchar(32) PRIMARY KEY,
  model_name varchar(100) NOT NULL,
  vehicle_inventory_count integer NOT NULL,
  current_sale_price decimal(12,2) NOT NULL,
  vehicle_status varchar(16) NOT NULL
)`;
const LEGACY_ROWS = `INSERT INTO vehicles VALUES ('VH-001', 'Roadster', 2, 24990.00, 'IN_STOCK'), ('VH-002', 'Van', 0, 31500.50, 'SOLD'), ('VH-003', 'Coupe', 5, 18000.00, 'HOLD')`;
const MAPPING = {
  table: 'vehicles',
  fields: {
    sku: 'vehicle_id',
    name: 'model_name',
    stock_on_hand: 'vehicle_inventory_count',
    price_selling_minor: 'current_sale_price',
    status: 'vehicle_status',
  },
  valueMaps: { status: { available: 'IN_STOCK', reserved: 'HOLD', sold: 'SOLD', archived: 'RETIRED' } },
};

describe('byod tenants served from their own databases', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    await mysql.query(LEGACY_TABLE);
    await mysql.query(LEGACY_ROWS);
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${legacyName}`);
    await onLegacyPostgres('postgres', `CREATE ROLE ${PG_ROLE} LOGIN PASSWORD '${PG_PASSWORD}'`);
    await onLegacyPostgres(legacyName, `${LEGACY_TABLE}; ${LEGACY_ROWS}; GRANT SELECT, INSERT, UPDATE, DELETE ON vehicles TO ${PG_ROLE}`);
    await onLegacyPostgres(
      legacyName,
      `CREATE TABLE companies (company_no serial PRIMARY KEY, company_name varchar(200) NOT NULL, web varchar(200), sector varchar(100));
       CREATE TABLE people (person_no serial PRIMARY KEY, given_name varchar(100) NOT NULL, family_name varchar(100) NOT NULL, mail varchar(254), tel varchar(40));
       INSERT INTO companies (company_name, web, sector) VALUES ('Acme Motors', 'acme.example', 'Automotive'), ('Globex', 'globex.example', 'Energy');
       INSERT INTO people (given_name, family_name, mail) VALUES ('Jane', 'Doe', 'jane@acme.example'), ('John', 'Roe', NULL);
       GRANT SELECT, INSERT, UPDATE, DELETE ON companies, people TO ${PG_ROLE};
       GRANT USAGE ON SEQUENCE companies_company_no_seq, people_person_no_seq TO ${PG_ROLE}`,
    );
    t = await startTestApp({
      env: {
        BYOD_ALLOW_PRIVATE_NETWORKS: 'true',
        BYOD_CONNECT_TIMEOUT_MS: '1500',
        BYOD_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
        TENANT_CACHE_TTL_SECONDS: String(TENANT_CACHE_TTL_SECONDS),
      },
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

  /** A byod tenant on the given source, onboarded and active; returns its admin's token. */
  async function byodTenant(connection: object, options: { readOnly?: boolean; mapping?: object | null; entities?: object } = {}) {
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const base = `/control/tenants/${tenant.id}/data-source`;
    expect((await t.api.put(base, { ...connection, readOnly: options.readOnly ?? false }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/test`, undefined, { token: admin })).status).toBe(200);
    if (options.mapping !== null) {
      expect(
        (
          await t.api.put(
            `${base}/mappings`,
            { entities: options.entities ?? { inventory_item: options.mapping ?? MAPPING } },
            { token: admin },
          )
        ).status,
      ).toBe(200);
      expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
    }
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    return { tenant, token, base };
  }

  const sources = {
    mysql: () => ({ kind: 'mysql', connection: { host: '127.0.0.1', port: 3306, database: legacyName, user: 'root', password: '' } }),
    postgres: () => {
      const url = new URL(legacyPostgresUrl(legacyName));
      return {
        kind: 'postgres',
        connection: { host: url.hostname, port: Number(url.port || 5432), database: legacyName, user: PG_ROLE, password: PG_PASSWORD },
      };
    },
  };

  describe.each(['mysql', 'postgres'] as const)('on %s', (kind) => {
    it('lists, filters, sorts, pages and reads items in our fields, values translated', async () => {
      const { token } = await byodTenant(sources[kind]());
      const list = await t.api.get('/api/inventory/items?sort=-priceSellingMinor', { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { id: string }) => item.id)).toEqual(['VH-002', 'VH-001', 'VH-003']);
      expect(list.body.items[0]).toMatchObject({
        id: 'VH-002',
        sku: 'VH-002',
        name: 'Van',
        stockOnHand: 0,
        priceSellingMinor: 3_150_050,
        currency: 'EUR',
        status: 'sold',
      });
      const ids = async (query: string) =>
        (await t.api.get(`/api/inventory/items?${query}`, { token })).body.items.map((item: { id: string }) => item.id);
      expect(await ids('status=reserved')).toEqual(['VH-003']);
      expect(await ids('minPrice=2000000&maxPrice=3000000')).toEqual(['VH-001']);
      expect(await ids('search=road')).toEqual(['VH-001']);
      const first = (await t.api.get('/api/inventory/items?sort=sku&limit=2', { token })).body;
      const second = (await t.api.get(`/api/inventory/items?sort=sku&limit=2&cursor=${first.nextCursor}`, { token })).body;
      expect([...first.items, ...second.items].map((item: { id: string }) => item.id)).toEqual(['VH-001', 'VH-002', 'VH-003']);
      expect(second.nextCursor).toBeNull();
      expect((await t.api.get('/api/inventory/items/VH-003', { token })).body).toMatchObject({
        priceSellingMinor: 1_800_000,
        status: 'reserved',
      });
      expect((await t.api.get('/api/inventory/items/VH-404', { token })).status).toBe(404);
    });

    it('creates, changes, moves stock (never below zero) and deletes in the customer’s table', async () => {
      const { token } = await byodTenant(sources[kind]());
      const sku = `NEW-${kind}-${randomBytes(2).toString('hex')}`;
      const created = await t.api.post(
        '/api/inventory/items',
        { sku, name: 'Pickup', priceSellingMinor: 1_234_567, initialStock: 2 },
        { token },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: sku, stockOnHand: 2, priceSellingMinor: 1_234_567, status: 'available' });
      expect((await t.api.post('/api/inventory/items', { sku, name: 'Again', priceSellingMinor: 1 }, { token })).status).toBe(409);
      expect((await t.api.patch(`/api/inventory/items/${sku}`, { name: 'Pickup XL', status: 'archived' }, { token })).body).toMatchObject({
        name: 'Pickup XL',
        status: 'archived',
      });
      const sell = () => t.api.post(`/api/inventory/items/${sku}/movements`, { kind: 'sell', quantity: 1, reason: 'walk-in' }, { token });
      expect((await sell()).body.message).toBe(`Inventory item ${sku} is archived and takes no movements`);
      expect((await t.api.patch(`/api/inventory/items/${sku}`, { status: 'available' }, { token })).status).toBe(200);

      const sales = await Promise.all(Array.from({ length: 6 }, () => sell()));
      expect(sales.filter((sale) => sale.status === 201)).toHaveLength(2);
      expect(sales.filter((sale) => sale.status === 409)).toHaveLength(4);
      expect((await t.api.get(`/api/inventory/items/${sku}`, { token })).body.stockOnHand).toBe(0);
      expect(
        (await t.api.post(`/api/inventory/items/${sku}/movements`, { kind: 'reserve', quantity: 1, reason: 'hold' }, { token })).body
          .message,
      ).toMatch(/no reservations column/);
      expect((await t.api.get(`/api/inventory/items/${sku}/movements`, { token })).status).toBe(409);

      const stockOnly = await t.api.patch(`/api/inventory/items/${sku}`, { description: 'not mapped' }, { token });
      expect(stockOnly.status).toBe(409);
      expect(stockOnly.body.details).toEqual([{ field: 'description', problems: ['not mapped'] }]);
      expect((await t.api.delete(`/api/inventory/items/${sku}`, { token })).status).toBe(204);
      expect((await t.api.get(`/api/inventory/items/${sku}`, { token })).status).toBe(404);
      expect((await t.api.post(`/api/inventory/items/${sku}/restore`, undefined, { token })).status).toBe(409);
    });
  });

  describe('contacts and accounts', () => {
    const entities = {
      contact: {
        table: 'people',
        fields: { id: 'person_no', first_name: 'given_name', last_name: 'family_name', email: 'mail', phone: 'tel' },
      },
      account: { table: 'companies', fields: { id: 'company_no', name: 'company_name', domain: 'web', industry: 'sector' } },
    };

    it('serves accounts from the customer’s table: search, filters, create with a generated id, change, delete', async () => {
      const { token } = await byodTenant(sources.postgres(), { entities });
      const listed = (await t.api.get('/api/accounts?sort=name', { token })).body.items;
      expect(listed.map((account: { name: string }) => account.name)).toEqual(['Acme Motors', 'Globex']);
      expect(listed[0]).toMatchObject({ id: '1', domain: 'acme.example', industry: 'Automotive', customFields: {} });
      expect(
        (await t.api.get('/api/accounts?search=GLOBEX.ex', { token })).body.items.map((account: { id: string }) => account.id),
      ).toEqual(['2']);
      expect((await t.api.get('/api/accounts?industry=Energy', { token })).body.items).toHaveLength(1);

      const created = await t.api.post('/api/accounts', { name: 'Initech', domain: 'initech.example' }, { token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Initech', domain: 'initech.example' });
      expect(Number(created.body.id)).toBeGreaterThan(2);
      expect((await t.api.patch(`/api/accounts/${created.body.id}`, { industry: 'Software' }, { token })).body.industry).toBe('Software');
      const unmapped = await t.api.patch(`/api/accounts/${created.body.id}`, { city: 'Austin' }, { token });
      expect(unmapped.status).toBe(409);
      expect(unmapped.body.details).toEqual([{ field: 'city', problems: ['not mapped'] }]);
      expect((await t.api.delete(`/api/accounts/${created.body.id}`, { token })).status).toBe(204);
      expect((await t.api.get(`/api/accounts/${created.body.id}`, { token })).status).toBe(404);
    });

    it('serves contacts from the customer’s table; links to accounts have no place there', async () => {
      const { token } = await byodTenant(sources.postgres(), { entities });
      const jane = (await t.api.get('/api/contacts?search=jane@acme', { token })).body.items;
      expect(jane).toEqual([
        expect.objectContaining({ id: '1', firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', accounts: [] }),
      ]);
      expect(
        (await t.api.get('/api/contacts?sort=-lastName', { token })).body.items.map((contact: { lastName: string }) => contact.lastName),
      ).toEqual(['Roe', 'Doe']);
      const created = await t.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace', phone: '+44 20 7946 0000' }, { token });
      expect(created.body).toMatchObject({ firstName: 'Ada', phone: '+44 20 7946 0000' });
      expect((await t.api.get(`/api/contacts/${created.body.id}`, { token })).body.lastName).toBe('Lovelace');
      expect((await t.api.put(`/api/contacts/${created.body.id}/accounts/1`, { role: 'CTO' }, { token })).status).toBe(409);
      expect((await t.api.get('/api/contacts?accountId=00000000-0000-4000-8000-000000000001', { token })).status).toBe(409);
      expect(
        (
          await t.api.post(
            '/api/contacts',
            { firstName: 'No', lastName: 'Owner', ownerUserId: '00000000-0000-4000-8000-000000000001' },
            { token },
          )
        ).body.details,
      ).toEqual([{ field: 'ownerUserId', problems: ['not mapped'] }]);
      expect((await t.api.get('/api/contacts/not-a-number', { token })).status).toBe(404);
      expect((await t.api.get('/api/contacts/bad%01key', { token })).body.details).toEqual([
        { field: 'id', problems: ['must be printable text of 1 to 100 characters'] },
      ]);
    });
  });

  it('applies the tenant’s own field rules before any write reaches its database', async () => {
    const rules = { price_selling_minor: { min: 500_000 }, name: { minLength: 3 }, status: { oneOf: ['available', 'archived'] } };
    const badRules = await byodTenant(sources.mysql(), { mapping: null });
    const refused = await t.api.put(
      `${badRules.base}/mappings`,
      {
        entities: {
          inventory_item: { ...MAPPING, validations: { name: { min: 1 }, currency: { required: true }, sku: { pattern: '^(a+)+$' } } },
        },
      },
      { token: admin },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'mappings.inventory_item.validations.currency',
      'mappings.inventory_item.validations.name',
      'mappings.inventory_item.validations.sku',
    ]);

    const { token } = await byodTenant(sources.mysql(), { mapping: { ...MAPPING, validations: rules } });
    const cheap = await t.api.post('/api/inventory/items', { sku: 'RULE-1', name: 'Go', priceSellingMinor: 100 }, { token });
    expect(cheap.status).toBe(400);
    expect(cheap.body.details).toEqual([
      { field: 'name', problems: ['must be at least 3 characters for this tenant'] },
      { field: 'priceSellingMinor', problems: ['must be at least 500000 for this tenant'] },
    ]);
    expect((await t.api.get('/api/inventory/items/RULE-1', { token })).status).toBe(404);
    expect(
      (await t.api.post('/api/inventory/items', { sku: 'RULE-1', name: 'Gokart', priceSellingMinor: 600_000 }, { token })).status,
    ).toBe(201);
    expect((await t.api.patch('/api/inventory/items/RULE-1', { name: 'Go' }, { token })).body.details).toEqual([
      { field: 'name', problems: ['must be at least 3 characters for this tenant'] },
    ]);
    expect((await t.api.patch('/api/inventory/items/RULE-1', { status: 'archived' }, { token })).body.status).toBe('archived');
    expect((await t.api.get('/api/inventory/items/RULE-1', { token })).body.name).toBe('Gokart');
    await t.api.delete('/api/inventory/items/RULE-1', { token });
  });

  it('refuses every write of a read-only source with 403, and serves its reads', async () => {
    const { token } = await byodTenant(sources.mysql(), { readOnly: true });
    expect((await t.api.get('/api/inventory/items/VH-001', { token })).status).toBe(200);
    for (const response of [
      await t.api.post('/api/inventory/items', { sku: 'RO-1', name: 'Nope', priceSellingMinor: 1 }, { token }),
      await t.api.patch('/api/inventory/items/VH-001', { name: 'Nope' }, { token }),
      await t.api.post('/api/inventory/items/VH-001/movements', { kind: 'sell', quantity: 1, reason: 'x' }, { token }),
      await t.api.delete('/api/inventory/items/VH-001', { token }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.message).toMatch(/is read-only/);
    }
  });

  it('answers 409 naming what the tenant has not mapped, and keeps unmapped modules out', async () => {
    const { tenant, token } = await byodTenant(sources.mysql(), { mapping: null });
    const unmapped = await t.api.get('/api/inventory/items', { token });
    expect(unmapped.status).toBe(409);
    expect(unmapped.body.message).toMatch(new RegExp(`data source of tenant "${tenant.slug}" is not active`));
    const other = await t.api.get('/api/notes', { token });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/lives in its own system/);
  });

  it('takes ids as the customer’s keys, bound as values: an injection-looking id is just an unknown item', async () => {
    const { token } = await byodTenant(sources.postgres());
    const probe = await t.api.get(`/api/inventory/items/${encodeURIComponent("VH-001' OR '1'='1")}`, { token });
    expect(probe.status).toBe(404);
    expect((await t.api.get('/api/inventory/items?search=%25', { token })).body.items).toEqual([]);
  });

  it('keeps a tenant’s pool through a change of mappings, and serves concurrent first requests from one pool', async () => {
    // A role of this test's own, so the connections seen are this tenant's pool only.
    const role = `${PG_ROLE}_pool`;
    await onLegacyPostgres('postgres', `CREATE ROLE ${role} LOGIN PASSWORD '${PG_PASSWORD}'`);
    try {
      await onLegacyPostgres(legacyName, `GRANT SELECT ON vehicles TO ${role}`);
      const source = sources.postgres();
      const { token, base } = await byodTenant({ ...source, connection: { ...source.connection, user: role } });
      const backends = async () => {
        const client = new Client({ connectionString: legacyPostgresUrl('postgres') });
        await client.connect();
        try {
          return (await client.query('SELECT pid FROM pg_stat_activity WHERE usename = $1', [role])).rows.map((row) => row.pid as number);
        } finally {
          await client.end();
        }
      };
      const burst = () => Promise.all(Array.from({ length: 20 }, () => t.api.get('/api/inventory/items', { token })));

      const first = await burst();
      const pool = await backends();
      expect((await t.api.put(`${base}/mappings`, { entities: { inventory_item: MAPPING } }, { token: admin })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, TENANT_CACHE_TTL_SECONDS * 1000 + 500));
      const afterChange = await burst();

      expect([...first, ...afterChange].map((response) => response.status)).toEqual(Array(40).fill(200));
      expect(pool.length).toBeGreaterThan(0);
      expect(pool.length).toBeLessThanOrEqual(4);
      expect(await backends()).toEqual(expect.arrayContaining(pool));
    } finally {
      await onLegacyPostgres(legacyName, `REVOKE ALL ON vehicles FROM ${role}`);
      await onLegacyPostgres('postgres', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
      await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('fails fast with 503 while the customer database is down, leaving other tenants untouched, and recovers by itself', async () => {
    const relay = await startTcpRelay(LEGACY_MYSQL.host, LEGACY_MYSQL.port);
    const down = await byodTenant({
      kind: 'mysql',
      connection: { host: '127.0.0.1', port: relay.port, database: legacyName, user: 'root', password: '' },
    });
    const healthy = await byodTenant(sources.postgres());
    const own = await createTenant(t.api, admin, { placement: 'pooled', plan: 'professional' });
    const ownToken = (await loginAs(t.api, own.admin.email, own.admin.password)).accessToken;
    expect((await t.api.get('/api/inventory/items', { token: down.token })).status).toBe(200);

    await relay.down();
    const started = Date.now();
    const failing = [];
    for (let i = 0; i < 5; i += 1) failing.push(await t.api.get('/api/inventory/items', { token: down.token }));
    expect(failing.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
    expect(failing.at(-1)!.body.message).toMatch(/paused after repeated failures/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await t.api.get('/api/inventory/items', { token: healthy.token })).status).toBe(200);
    expect((await t.api.get('/api/inventory/items', { token: ownToken })).status).toBe(200);

    await relay.up();
    await new Promise((resolve) => setTimeout(resolve, BREAKER_RESET_MS + 200));
    expect((await t.api.get('/api/inventory/items', { token: down.token })).status).toBe(200);
    await relay.down();
  }, 60_000);
});
