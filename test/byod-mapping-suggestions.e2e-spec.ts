import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { adminToken, createTenant, inviteIntoTenant, loginAs } from './support/factories';
import { LEGACY_MYSQL } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Mapping suggestions on a MariaDB legacy schema whose names are nothing like ours: the proposal
 * comes from the introspection (names, types, primary keys, an ENUM's values) and a small sample of
 * a free-text status column's values, stores nothing, and PUT …/mappings accepts it as it is.
 */
const legacyName = `byod_suggest_${randomBytes(4).toString('hex')}`;

const LEGACY_SCHEMA = [
  `CREATE TABLE wares (
    ware_code varchar(24) PRIMARY KEY,
    ware_title varchar(80) NOT NULL,
    qty_on_shelf int NOT NULL,
    cost_price decimal(10,3) NOT NULL,
    list_price decimal(10,2) NOT NULL,
    ware_state varchar(16) NOT NULL
  )`,
  `INSERT INTO wares VALUES
    ('W-1', 'Lantern', 3, 4.125, 9.90, 'IN_STOCK'),
    ('W-2', 'Rope', 0, 1.500, 3.00, 'SOLD_OUT'),
    ('W-3', 'Tent', 1, 40.000, 99.00, 'IN_STOCK')`,
  `CREATE TABLE people (
    person_no int AUTO_INCREMENT PRIMARY KEY,
    given_name varchar(50) NOT NULL,
    surname varchar(50) NOT NULL,
    e_mail varchar(120),
    tel varchar(30)
  )`,
  `CREATE TABLE opportunities (
    opp_no int AUTO_INCREMENT PRIMARY KEY,
    title varchar(100) NOT NULL,
    phase ENUM('lead', 'qualified', 'proposal', 'won', 'lost') NOT NULL,
    amount decimal(12,2) NOT NULL
  )`,
];

describe('byod mapping suggestions', () => {
  let t: TestApp;
  let admin: string;
  let tenantId: string;
  let token: string;
  const base = () => `/control/tenants/${tenantId}/data-source`;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    for (const statement of LEGACY_SCHEMA) await mysql.query(statement);
    await mysql.end();
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true' } });
    admin = await adminToken(t.api);
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    tenantId = tenant.id;
    token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    const connection = { ...LEGACY_MYSQL, database: legacyName };
    expect((await t.api.put(base(), { kind: 'mysql', connection, readOnly: false }, { token: admin })).status).toBe(200);
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.end();
  });

  it('answers 409 before the source is tested, as there is nothing to propose from', async () => {
    const early = await t.api.get(`${base()}/mapping-suggestions`, { token: admin });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Test the connection first/);
    expect((await t.api.get('/api/tenant/data-source/mapping-suggestions', { token })).status).toBe(409);
  });

  it('proposes tables, columns and value maps that PUT …/mappings accepts as they are, storing nothing', async () => {
    expect((await t.api.post(`${base()}/test`, undefined, { token: admin })).status).toBe(200);
    const answer = await t.api.get(`${base()}/mapping-suggestions`, { token: admin });
    expect(answer.status).toBe(200);
    const { entities, mappings } = answer.body;

    expect(entities.inventory_item).toMatchObject({
      table: 'wares',
      complete: true,
      mapping: {
        table: 'wares',
        fields: {
          sku: 'ware_code',
          name: 'ware_title',
          stock_on_hand: 'qty_on_shelf',
          price_selling_minor: 'list_price',
          status: 'ware_state',
        },
      },
    });
    // Sampled values where rows have them; a value no row has yet is proposed as ours (the column is free text).
    expect(entities.inventory_item.mapping.valueMaps.status).toMatchObject({ available: 'IN_STOCK', sold: 'SOLD_OUT' });
    expect(entities.inventory_item.valueMaps.status.available.reason).toMatch(/sampled value/);
    expect(entities.inventory_item.fields.sku.reason).toMatch(/primary key/);
    expect(entities.inventory_item.fields.stock_on_hand).toMatchObject({ column: 'qty_on_shelf', confidence: expect.any(Number) });
    expect(entities.contact.mapping).toEqual({
      table: 'people',
      fields: { id: 'person_no', first_name: 'given_name', last_name: 'surname', email: 'e_mail', phone: 'tel' },
    });
    expect(entities.deal).toMatchObject({
      table: 'opportunities',
      mapping: { fields: { id: 'opp_no', stage: 'phase', amount_minor: 'amount' } },
    });
    expect(entities.deal.mapping.valueMaps.stage).toMatchObject({ lead: 'lead', won: 'won', lost: 'lost' });
    expect(entities.activity).toMatchObject({ table: null, complete: false, mapping: null });
    expect(Object.keys(mappings.entities).sort()).toEqual(
      Object.entries(entities as Record<string, { complete: boolean }>)
        .filter(([, suggestion]) => suggestion.complete)
        .map(([entity]) => entity)
        .sort(),
    );
    expect((await t.api.get(base(), { token: admin })).body.mappings).toBeNull();

    const accepted = await t.api.put(`${base()}/mappings`, mappings, { token: admin });
    expect(accepted.body.details).toBeUndefined();
    expect(accepted.status).toBe(200);
    expect(accepted.body.mappings.inventory_item).toEqual(entities.inventory_item.mapping);
  });

  it('answers the tenant’s admin the same proposals, and refuses whoever may not manage the data source', async () => {
    const control = await t.api.get(`${base()}/mapping-suggestions`, { token: admin });
    const own = await t.api.get('/api/tenant/data-source/mapping-suggestions', { token });
    expect(own.status).toBe(200);
    expect(own.body).toEqual(control.body);

    expect((await t.api.get(`${base()}/mapping-suggestions`, { token })).status).toBe(403);
    await t.api.post('/api/roles', { name: 'stock_clerk', permissions: ['inventory.read'] }, { token });
    const email = `clerk-${randomBytes(3).toString('hex')}@example.test`;
    await inviteIntoTenant(t.api, token, email, 'stock_clerk');
    const clerk = (await loginAs(t.api, email, 'a-long-enough-password')).accessToken;
    const refused = await t.api.get('/api/tenant/data-source/mapping-suggestions', { token: clerk });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/data_source.manage/);
    expect((await t.api.get('/api/tenant/data-source/mapping-suggestions')).status).toBe(401);
  });

  it('proposes for the staged source too, and answers 404 while nothing is staged', async () => {
    expect((await t.api.get(`${base()}/staged/mapping-suggestions`, { token: admin })).status).toBe(404);
    const connection = { ...LEGACY_MYSQL, database: legacyName };
    expect((await t.api.put(`${base()}/staged`, { kind: 'mysql', connection, readOnly: true }, { token: admin })).status).toBe(200);
    expect((await t.api.get('/api/tenant/data-source/staged/mapping-suggestions', { token })).status).toBe(409);
    expect((await t.api.post(`${base()}/staged/test`, undefined, { token: admin })).status).toBe(200);
    const staged = await t.api.get('/api/tenant/data-source/staged/mapping-suggestions', { token });
    expect(staged.status).toBe(200);
    expect(staged.body.entities.inventory_item.mapping.table).toBe('wares');
  });

  it('answers 409 for a tenant that is not byod', async () => {
    const pooled = await createTenant(t.api, admin, { placement: 'pooled' });
    expect((await t.api.get(`/control/tenants/${pooled.id}/data-source/mapping-suggestions`, { token: admin })).status).toBe(409);
  });
});
