import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { adminToken, createTenant, loginAs } from './support/factories';
import { LEGACY_MYSQL } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Writes to a byod tenant's own MariaDB tables behave as on the other placements: the mapped
 * status follows stock on movements, and a create with a field the mapping leaves out is refused
 * exactly as a patch is, before anything reaches the customer's table.
 */
const legacyName = `byod_writes_${randomBytes(4).toString('hex')}`;

const LEGACY_SCHEMA = [
  `CREATE TABLE parts (
    part_code varchar(32) PRIMARY KEY,
    part_label varchar(100) NOT NULL,
    qty_in_stock integer NOT NULL,
    list_price decimal(12,2) NOT NULL,
    part_state varchar(16) NOT NULL
  )`,
  `INSERT INTO parts VALUES ('P-LAST', 'Last gasket', 1, 12.50, 'ON_SHELF'), ('P-OLD', 'Retired valve', 2, 3.00, 'RETIRED')`,
  `CREATE TABLE firms (firm_no integer AUTO_INCREMENT PRIMARY KEY, firm_title varchar(200) NOT NULL)`,
  `CREATE TABLE persons (person_no integer AUTO_INCREMENT PRIMARY KEY, first_nm varchar(100) NOT NULL, last_nm varchar(100) NOT NULL)`,
];
const ENTITIES = {
  inventory_item: {
    table: 'parts',
    fields: {
      sku: 'part_code',
      name: 'part_label',
      stock_on_hand: 'qty_in_stock',
      price_selling_minor: 'list_price',
      status: 'part_state',
    },
    valueMaps: { status: { available: 'ON_SHELF', reserved: 'ON_HOLD', sold: 'GONE', archived: 'RETIRED' } },
  },
  account: { table: 'firms', fields: { id: 'firm_no', name: 'firm_title' } },
  contact: { table: 'persons', fields: { id: 'person_no', first_name: 'first_nm', last_name: 'last_nm' } },
};

async function legacyQuery<T>(sql: string, params: unknown[] = []): Promise<T> {
  const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
  try {
    const [rows] = await mysql.query(sql, params);
    return rows as T;
  } finally {
    await mysql.end();
  }
}

const partState = async (code: string) =>
  (await legacyQuery<Array<{ part_state: string }>>('SELECT part_state FROM parts WHERE part_code = ?', [code]))[0].part_state;
const rowCount = async (table: string) => (await legacyQuery<Array<{ n: number }>>(`SELECT count(*) AS n FROM ${table}`))[0].n;

describe('writes to a byod tenant’s own tables', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    for (const statement of LEGACY_SCHEMA) await mysql.query(statement);
    await mysql.end();
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true' } });
    const admin = await adminToken(t.api);
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const base = `/control/tenants/${tenant.id}/data-source`;
    const connection = { host: '127.0.0.1', port: 3306, database: legacyName, user: 'root', password: '' };
    expect((await t.api.put(base, { kind: 'mysql', connection, readOnly: false }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/test`, undefined, { token: admin })).status).toBe(200);
    expect((await t.api.put(`${base}/mappings`, { entities: ENTITIES }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
    token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.end();
  });

  const move = (sku: string, kind: string, quantity: number) =>
    t.api.post(`/api/inventory/items/${sku}/movements`, { kind, quantity, reason: 'counter' }, { token });

  it('marks an item sold when its last unit is sold, and available again when stock is received', async () => {
    expect((await move('P-LAST', 'sell', 1)).status).toBe(201);
    expect((await t.api.get('/api/inventory/items/P-LAST', { token })).body).toMatchObject({ stockOnHand: 0, status: 'sold' });
    expect(await partState('P-LAST')).toBe('GONE');

    expect((await move('P-LAST', 'receive', 3)).status).toBe(201);
    expect((await t.api.get('/api/inventory/items/P-LAST', { token })).body).toMatchObject({ stockOnHand: 3, status: 'available' });
    expect(await partState('P-LAST')).toBe('ON_SHELF');
  });

  it('refuses movements on an archived item, as the other placements do, and keeps it archived', async () => {
    const moved = await move('P-OLD', 'sell', 2);
    expect(moved.status).toBe(409);
    expect(moved.body.message).toBe('Inventory item P-OLD is archived and takes no movements');
    expect((await t.api.get('/api/inventory/items/P-OLD', { token })).body).toMatchObject({ stockOnHand: 2, status: 'archived' });
    expect(await partState('P-OLD')).toBe('RETIRED');
  });

  it('refuses a create with a field the mapping leaves out as a patch does, and writes nothing', async () => {
    const before = await rowCount('parts');
    const create = await t.api.post(
      '/api/inventory/items',
      { sku: 'P-USD', name: 'Dollar part', priceSellingMinor: 990, currency: 'USD' },
      { token },
    );
    const patch = await t.api.patch('/api/inventory/items/P-LAST', { currency: 'USD' }, { token });
    expect(patch.status).toBe(409);
    expect(create.status).toBe(409);
    expect(create.body.message).toBe(patch.body.message);
    expect(create.body.details).toEqual([{ field: 'currency', problems: ['not mapped'] }]);
    expect(patch.body.details).toEqual(create.body.details);
    expect(await rowCount('parts')).toBe(before);
    expect((await t.api.get('/api/inventory/items/P-USD', { token })).status).toBe(404);

    const threshold = await t.api.post(
      '/api/inventory/items',
      { sku: 'P-LOW', name: 'Low part', priceSellingMinor: 990, lowStockThreshold: 4 },
      { token },
    );
    expect(threshold.status).toBe(409);
    expect(threshold.body.details).toEqual([{ field: 'lowStockThreshold', problems: ['not mapped'] }]);
    expect(await rowCount('parts')).toBe(before);
  });

  it('creates an item when only mapped fields are sent', async () => {
    const created = await t.api.post('/api/inventory/items', { sku: 'P-NEW', name: 'New part', priceSellingMinor: 990 }, { token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku: 'P-NEW', priceSellingMinor: 990, status: 'available' });
    expect(await partState('P-NEW')).toBe('ON_SHELF');
  });

  it('refuses accounts and contacts created with unmapped fields as their patches are, and writes nothing', async () => {
    const account = await t.api.post('/api/accounts', { name: 'Initech', city: 'Austin' }, { token });
    expect(account.status).toBe(409);
    expect(account.body.details).toEqual([{ field: 'city', problems: ['not mapped'] }]);
    expect(await rowCount('firms')).toBe(0);
    const kept = await t.api.post('/api/accounts', { name: 'Initech' }, { token });
    expect(kept.status).toBe(201);
    const accountPatch = await t.api.patch(`/api/accounts/${kept.body.id}`, { city: 'Austin' }, { token });
    expect(accountPatch.status).toBe(409);
    expect(accountPatch.body).toMatchObject({ message: account.body.message, details: account.body.details });

    const contact = await t.api.post('/api/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'jane@initech.example' }, { token });
    expect(contact.status).toBe(409);
    expect(contact.body.details).toEqual([{ field: 'email', problems: ['not mapped'] }]);
    expect(await rowCount('persons')).toBe(0);
    expect((await t.api.post('/api/contacts', { firstName: 'Jane', lastName: 'Doe' }, { token })).status).toBe(201);
    expect(await rowCount('persons')).toBe(1);
  });
});
