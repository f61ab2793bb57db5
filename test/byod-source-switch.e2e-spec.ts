import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { adminToken, createTenant, inviteIntoTenant, loginAs } from './support/factories';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A byod tenant moves from one source to another without downtime: the new settings are staged,
 * tested and mapped beside the active ones while those keep serving, then switched to in one step.
 * Source A is a MariaDB database, B a PostgreSQL one with other names, A2 a MariaDB copy of A's schema.
 */
const suffix = randomBytes(4).toString('hex');
const databaseA = `byod_switch_a_${suffix}`;
const databaseA2 = `byod_switch_a2_${suffix}`;
const databaseB = `byod_switch_b_${suffix}`;
const PG_ROLE = `byod_switch_${suffix}`;
const PG_PASSWORD = `pg-switch-${suffix}-never-shown`;

const VEHICLES = `CREATE TABLE vehicles (
  vehicle_id varchar(32) PRIMARY KEY,
  model_name varchar(100) NOT NULL,
  vehicle_inventory_count integer NOT NULL,
  current_sale_price decimal(12,2) NOT NULL,
  vehicle_status varchar(16) NOT NULL
)`;
const MAPPING_A = {
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
const MAPPING_B = {
  table: 'stock_items',
  fields: { sku: 'item_code', name: 'title', stock_on_hand: 'qty', price_selling_minor: 'list_price' },
};

const sourceA = (database = databaseA) => ({
  kind: 'mysql',
  connection: { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database, user: LEGACY_MYSQL.user, password: LEGACY_MYSQL.password },
});
const sourceB = () => {
  const url = new URL(legacyPostgresUrl(databaseB));
  return {
    kind: 'postgres',
    connection: { host: url.hostname, port: Number(url.port || 5432), database: databaseB, user: PG_ROLE, password: PG_PASSWORD },
  };
};

describe('byod: switching a tenant to a new data source without downtime', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    for (const [database, rows] of [
      [databaseA, `('A-1', 'Roadster from A', 2, 24990.00, 'IN_STOCK'), ('A-2', 'Coupe from A', 1, 18000.00, 'HOLD')`],
      [databaseA2, `('A2-1', 'Roadster from A2', 4, 25990.00, 'IN_STOCK')`],
    ]) {
      await mysql.query(`CREATE DATABASE ${database}`);
      await mysql.query(`USE ${database}`);
      await mysql.query(VEHICLES);
      await mysql.query(`INSERT INTO vehicles VALUES ${rows}`);
    }
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${databaseB}`);
    await onLegacyPostgres('postgres', `CREATE ROLE ${PG_ROLE} LOGIN PASSWORD '${PG_PASSWORD}'`);
    await onLegacyPostgres(
      databaseB,
      `CREATE TABLE stock_items (item_code varchar(40) PRIMARY KEY, title varchar(120) NOT NULL, qty integer NOT NULL, list_price numeric(10,2) NOT NULL);
       INSERT INTO stock_items VALUES ('B-100', 'Van from B', 3, 31500.50), ('B-200', 'Truck from B', 1, 52000.00);
       GRANT SELECT, INSERT, UPDATE, DELETE ON stock_items TO ${PG_ROLE}`,
    );
    // No retention period, so a deleted tenant can be purged at once.
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '3000', TENANT_RETENTION_DAYS: '0' } });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${databaseA}`);
    await mysql.query(`DROP DATABASE IF EXISTS ${databaseA2}`);
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${databaseB} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${PG_ROLE}`);
  });

  /** A byod tenant served from MariaDB A, active; its admin's token. */
  async function tenantOnA() {
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const base = `/control/tenants/${tenant.id}/data-source`;
    expect((await t.api.put(base, { ...sourceA(), readOnly: false }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/test`, undefined, { token: admin })).status).toBe(200);
    expect((await t.api.put(`${base}/mappings`, { entities: { inventory_item: MAPPING_A } }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    return { tenant, token, base };
  }

  const itemIds = async (token: string) => {
    const list = await t.api.get('/api/inventory/items?sort=sku', { token });
    return { status: list.status, ids: (list.body.items ?? []).map((item: { id: string }) => item.id) as string[] };
  };

  /** Reads the item list back to back until stopped; returns every answer. */
  function readContinuously(token: string) {
    let reading = true;
    const answers: Array<{ status: number; ids: string[] }> = [];
    const done = (async () => {
      while (reading) answers.push(await itemIds(token));
    })();
    return async () => {
      reading = false;
      await done;
      return answers;
    };
  }

  it('stages, tests and maps PostgreSQL B while every read is answered from MariaDB A, then switches and answers from B', async () => {
    const { tenant, token } = await tenantOnA();
    const staged = '/api/tenant/data-source/staged';
    const stopReading = readContinuously(token);

    const stagedB = await t.api.put(staged, { ...sourceB(), readOnly: false }, { token });
    expect(stagedB.status).toBe(200);
    expect(stagedB.body).toMatchObject({
      kind: 'postgres',
      status: 'configured',
      connection: { database: databaseB, user: PG_ROLE, passwordSet: true },
      mappings: null,
    });
    expect(JSON.stringify(stagedB.body)).not.toContain(PG_PASSWORD);

    const early = await t.api.post(`${staged}/switch`, undefined, { token });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/needs a successful test of the staged settings .* and field mappings/);

    const tested = await t.api.post(`${staged}/test`, undefined, { token });
    expect(tested.status).toBe(200);
    expect(tested.body.introspection.tables.map((table: { name: string }) => table.name)).toEqual(['stock_items']);
    // A's mapping names a table B does not have, so it is not copied over.
    expect(tested.body).toMatchObject({
      status: 'tested',
      mappings: null,
      missing: ['field mappings (PUT …/data-source/staged/mappings)'],
    });

    const unfit = await t.api.put(
      `${staged}/mappings`,
      { entities: { inventory_item: { ...MAPPING_B, fields: { ...MAPPING_B.fields, name: 'vehicle_name' } } } },
      { token },
    );
    expect(unfit.status).toBe(422);
    expect(unfit.body.details.map((problem: { field: string }) => problem.field)).toContain('mappings.inventory_item.fields.name');
    expect((await t.api.get(staged, { token })).body.mappings).toBeNull();

    const mapped = await t.api.put(`${staged}/mappings`, { entities: { inventory_item: MAPPING_B } }, { token });
    expect(mapped.status).toBe(200);
    expect(mapped.body).toMatchObject({ mappings: { inventory_item: MAPPING_B }, missing: [] });

    const during = await stopReading();
    expect(during.length).toBeGreaterThan(5);
    expect(during.filter((answer) => answer.status !== 200 || answer.ids.join() !== 'A-1,A-2')).toEqual([]);
    expect((await t.api.get('/api/tenant/data-source', { token })).body).toMatchObject({ kind: 'mysql', status: 'active' });

    const switched = await t.api.post(`${staged}/switch`, undefined, { token });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({
      kind: 'postgres',
      status: 'active',
      connection: { database: databaseB, passwordSet: true },
      mappings: { inventory_item: MAPPING_B },
    });
    expect(JSON.stringify(switched.body)).not.toContain(PG_PASSWORD);
    expect((await t.api.get(staged, { token })).status).toBe(404);
    expect(await itemIds(token)).toEqual({ status: 200, ids: ['B-100', 'B-200'] });
    expect((await t.api.get('/api/inventory/items/B-100', { token })).body).toMatchObject({
      name: 'Van from B',
      priceSellingMinor: 3_150_050,
    });

    const audited = await t.sql<{ action: string; changes: string }>(
      `SELECT action, changes::text AS changes FROM audit_log WHERE target_id = $1 AND action LIKE 'data_source.%' ORDER BY id`,
      [tenant.id],
    );
    expect(audited.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['data_source.staged.create', 'data_source.staged.test', 'data_source.staged.mappings', 'data_source.switch']),
    );
    const switchEntry = JSON.parse(audited.find((entry) => entry.action === 'data_source.switch')!.changes);
    expect(switchEntry).toMatchObject({
      kind: { from: 'mysql', to: 'postgres' },
      connection: { from: { database: databaseA }, to: { database: databaseB } },
      status: { from: 'active', to: 'active' },
    });
    expect(audited.map((entry) => entry.changes).join()).not.toContain(PG_PASSWORD);
  });

  it('a staged copy of the same schema takes over the current mappings at its test; its read-only flag applies with the switch', async () => {
    const { tenant, token } = await tenantOnA();
    const staged = `/control/tenants/${tenant.id}/data-source/staged`;
    expect((await t.api.put(staged, { ...sourceA(databaseA2), readOnly: true }, { token: admin })).status).toBe(200);
    const tested = await t.api.post(`${staged}/test`, undefined, { token: admin });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ status: 'tested', readOnly: true, mappings: { inventory_item: MAPPING_A }, missing: [] });
    expect(await itemIds(token)).toEqual({ status: 200, ids: ['A-1', 'A-2'] });

    const switched = await t.api.post(`${staged}/switch`, undefined, { token: admin });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ connection: { database: databaseA2 }, readOnly: true, status: 'active' });
    expect(await itemIds(token)).toEqual({ status: 200, ids: ['A2-1'] });
    const write = await t.api.post('/api/inventory/items', { sku: 'A2-NEW', name: 'Refused', priceSellingMinor: 100 }, { token });
    expect(write.status).toBe(403);
  });

  it('refuses a switch while the staged mappings do not fit the staged source, and a discard leaves the data source as it was', async () => {
    const { tenant, token } = await tenantOnA();
    const staged = `/control/tenants/${tenant.id}/data-source/staged`;
    expect((await t.api.put(staged, { ...sourceB(), readOnly: false }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${staged}/test`, undefined, { token: admin })).status).toBe(200);
    expect((await t.api.put(`${staged}/mappings`, { entities: { inventory_item: MAPPING_B } }, { token: admin })).status).toBe(200);

    // New staged settings start over; B's mappings stay staged but do not fit A2, whose test says so.
    const restaged = await t.api.put(staged, { ...sourceA(databaseA2), readOnly: false }, { token: admin });
    expect(restaged.body).toMatchObject({ status: 'configured', mappings: { inventory_item: MAPPING_B } });
    expect((await t.api.post(`${staged}/switch`, undefined, { token: admin })).body.message).toMatch(
      /needs a successful test of the staged settings/,
    );
    const tested = await t.api.post(`${staged}/test`, undefined, { token: admin });
    expect(tested.body.missing).toEqual([expect.stringMatching(/^mappings that fit the staged source \(.*stock_items/)]);
    const refused = await t.api.post(`${staged}/switch`, undefined, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/cannot be switched to yet: it needs mappings that fit the staged source/);
    expect(refused.body.details[0].field).toBe('mappings.inventory_item.table');
    expect((await t.api.get(`/control/tenants/${tenant.id}/data-source`, { token: admin })).body).toMatchObject({
      kind: 'mysql',
      status: 'active',
      connection: { database: databaseA },
    });

    expect((await t.api.delete(staged, { token: admin })).status).toBe(204);
    expect((await t.api.get(staged, { token: admin })).status).toBe(404);
    expect((await t.api.post(`${staged}/switch`, undefined, { token: admin })).status).toBe(404);
    expect(await itemIds(token)).toEqual({ status: 200, ids: ['A-1', 'A-2'] });
    const [entry] = await t.sql("SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'data_source.staged.discard'", [tenant.id]);
    expect(entry).toBeDefined();
  });

  it('refuses bad staged settings naming the field, and staging where there is no byod data source to replace', async () => {
    const { tenant, token } = await tenantOnA();
    const staged = '/api/tenant/data-source/staged';
    const schemaOnMysql = await t.api.put(
      staged,
      { ...sourceA(databaseA2), connection: { ...sourceA(databaseA2).connection, schema: 'public' }, readOnly: false },
      { token },
    );
    expect(schemaOnMysql.status).toBe(400);
    expect(schemaOnMysql.body.details).toEqual([{ field: 'connection.schema', problems: ['is only for postgres'] }]);
    const badPort = await t.api.put(
      staged,
      { ...sourceB(), connection: { ...sourceB().connection, port: 70_000 }, readOnly: false },
      { token },
    );
    expect(badPort.status).toBe(400);
    expect(JSON.stringify(badPort.body)).toContain('port');
    expect((await t.api.get(staged, { token })).status).toBe(404);
    expect((await t.api.get(`/control/tenants/${tenant.id}/data-source/staged`, { token: admin })).status).toBe(404);

    const fresh = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const none = await t.api.put(`/control/tenants/${fresh.id}/data-source/staged`, { ...sourceB(), readOnly: false }, { token: admin });
    expect(none.status).toBe(404);
    expect(none.body.message).toMatch(/no data source yet/);
    const pooled = await createTenant(t.api, admin, { placement: 'pooled' });
    expect(
      (await t.api.put(`/control/tenants/${pooled.id}/data-source/staged`, { ...sourceB(), readOnly: false }, { token: admin })).status,
    ).toBe(409);
  });

  it('a purge removes the staged settings, credentials included, with the data source', async () => {
    const { tenant } = await tenantOnA();
    expect(
      (await t.api.put(`/control/tenants/${tenant.id}/data-source/staged`, { ...sourceB(), readOnly: false }, { token: admin })).status,
    ).toBe(200);
    expect((await t.api.delete(`/control/tenants/${tenant.id}`, { token: admin })).status).toBe(200);
    expect((await t.api.post(`/control/tenants/${tenant.id}/purge`, undefined, { token: admin })).status).toBe(200);
    expect(await t.sql('SELECT 1 FROM tenant_staged_data_sources WHERE tenant_id = $1', [tenant.id])).toEqual([]);
    expect(await t.sql('SELECT 1 FROM tenant_data_sources WHERE tenant_id = $1', [tenant.id])).toEqual([]);
  });

  it('lets only the tenant’s own admins and platform admins stage or switch: a member, another tenant’s admin and its id are refused', async () => {
    const { tenant, token } = await tenantOnA();
    const other = await tenantOnA();
    const staged = '/api/tenant/data-source/staged';
    expect((await t.api.put(staged, { ...sourceB(), readOnly: false }, { token })).status).toBe(200);

    await inviteIntoTenant(t.api, token, `member-${tenant.slug}@example.test`, 'member');
    const member = (await loginAs(t.api, `member-${tenant.slug}@example.test`, 'a-long-enough-password')).accessToken;
    for (const [method, path] of [
      ['GET', staged],
      ['PUT', staged],
      ['POST', `${staged}/test`],
      ['POST', `${staged}/switch`],
      ['DELETE', staged],
    ] as const) {
      const refused = await t.api.request(method, path, method === 'PUT' ? { ...sourceA(databaseA2), readOnly: false } : undefined, {
        token: member,
      });
      expect({ method, path, status: refused.status }).toEqual({ method, path, status: 403 });
    }
    const onOthersHeader = await t.api.post(`${staged}/switch`, undefined, { token: other.token, headers: { 'x-tenant-id': tenant.id } });
    expect(onOthersHeader.status).toBe(403);
    const onControlRoute = await t.api.delete(`/control/tenants/${tenant.id}/data-source/staged`, { token: other.token });
    expect(onControlRoute.status).toBe(403);
    expect((await t.api.get(staged, { token: other.token })).status).toBe(404);

    expect((await t.api.get(staged, { token })).body).toMatchObject({ kind: 'postgres', status: 'configured' });
    expect((await t.api.get('/api/tenant/data-source', { token })).body).toMatchObject({ kind: 'mysql', status: 'active' });
  });
});
