import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import {
  acceptInvitation,
  adminToken,
  inviteIntoTenant,
  createTenant,
  loginAs,
  registerTenant,
  waitForProvisioning,
} from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** BYOD onboarding against a real MariaDB, a real PostgreSQL and a local HTTP server. */
const suffix = randomBytes(4).toString('hex');
const mysqlDatabase = `byod_${suffix}`;
const postgresDatabase = `byod_${suffix}`;
const PG_PASSWORD = `pg-secret-${suffix}`;
const pgRole = `byod_reader_${suffix}`;
const mysqlRoot = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

const mysqlSource = (password = '') => ({
  kind: 'mysql',
  readOnly: true,
  connection: { host: '127.0.0.1', port: 3306, database: mysqlDatabase, user: 'root', password },
});
const validInventory = {
  table: 'vehicles',
  fields: {
    sku: 'vehicle_id',
    name: 'model_name',
    stock_on_hand: 'vehicle_inventory_count',
    price_selling_minor: 'current_sale_price',
    status: 'vehicle_status',
  },
  valueMaps: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired' } },
};

async function onPostgres(database: string, work: (client: Client) => Promise<unknown>) {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

describe('byod onboarding', () => {
  let t: TestApp;
  let strict: TestApp;
  let admin: string;
  let rest: Server;
  let restUrl: string;
  let restRequests: Array<Record<string, unknown>>;

  beforeAll(async () => {
    const mysql = await createConnection(mysqlRoot);
    await mysql.query(`CREATE DATABASE \`${mysqlDatabase}\``);
    await mysql.query(
      `CREATE TABLE \`${mysqlDatabase}\`.vehicles (vehicle_id varchar(32) PRIMARY KEY, model_name varchar(100), vehicle_inventory_count int, current_sale_price decimal(12,2), vehicle_status varchar(16))`,
    );
    await mysql.end();
    await onPostgres('postgres', async (client) => {
      await client.query(`CREATE DATABASE ${postgresDatabase}`);
      await client.query(`CREATE ROLE ${pgRole} LOGIN PASSWORD '${PG_PASSWORD}'`);
    });
    await onPostgres(postgresDatabase, (client) =>
      client
        .query(
          `CREATE TABLE people (person_no serial PRIMARY KEY, given_name text NOT NULL, family_name varchar(80) NOT NULL, mail citext, born date, vip boolean DEFAULT false);
                    GRANT SELECT ON people TO ${pgRole}`,
        )
        .catch(async () =>
          // citext may not be installed; the column is only there to show a user-defined type.
          client.query(`CREATE TABLE people (person_no serial PRIMARY KEY, given_name text NOT NULL, family_name varchar(80) NOT NULL, mail text, born date, vip boolean DEFAULT false);
                      GRANT SELECT ON people TO ${pgRole}`),
        ),
    );
    restRequests = [];
    rest = createServer((request, response) => {
      restRequests.push(request.headers);
      if (request.url === '/big') {
        response.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => rest.listen(0, '127.0.0.1', resolve));
    restUrl = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`;
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '3000' } });
    strict = await startTestApp();
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    await strict?.close();
    await new Promise((resolve) => rest?.close(resolve));
    const mysql = await createConnection(mysqlRoot);
    await mysql.query(`DROP DATABASE IF EXISTS \`${mysqlDatabase}\``);
    await mysql.end();
    await onPostgres('postgres', async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${postgresDatabase} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${pgRole}`);
    });
  });

  const byodTenant = async (app: TestApp = t) =>
    createTenant(app.api, app === t ? admin : await adminToken(app.api), { placement: 'byod' });
  const path = (tenantId: string, rest = '') => `/control/tenants/${tenantId}/data-source${rest}`;

  it('provisions a byod tenant to active, skipping place and database, and refuses its data routes with 409', async () => {
    const { tenant, admin: owner } = await registerTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const provisioned = await waitForProvisioning(t.api, admin, tenant.id);
    expect(provisioned.status).toBe('active');
    const steps = Object.fromEntries(provisioned.provisioning.map((step) => [step.step, step]));
    for (const name of ['place', 'database'])
      expect(steps[name]).toMatchObject({ status: 'skipped', detail: expect.stringContaining("lives in the customer's system") });
    await acceptInvitation(t.api, owner.email, owner.password);
    const login = await loginAs(t.api, owner.email, owner.password);
    const notes = await t.api.get('/api/notes', { token: login.accessToken });
    expect(notes.status).toBe(409);
    expect(notes.body.message).toBe("This tenant's data lives in its own system, and this module is not served from there");
    expect((await t.api.get('/api/tenant', { token: login.accessToken })).status).toBe(200);
    const modules = await t.api.get('/api/tenant/modules', { token: login.accessToken });
    const served = Object.fromEntries(modules.body.map((module: { name: string; served: boolean }) => [module.name, module.served]));
    expect(served).toMatchObject({
      notes: false,
      events: false,
      invoices: false,
      accounts: true,
      contacts: true,
      deals: true,
      activities: true,
      inventory: true,
    });
  });

  it('lets the tenant admin onboard its own source through /api/tenant/data-source, and nobody else', async () => {
    const { tenant, admin: owner } = await registerTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    await waitForProvisioning(t.api, admin, tenant.id);
    const accepted = await acceptInvitation(t.api, owner.email, owner.password);
    const token = (await loginAs(t.api, owner.email, owner.password)).accessToken;
    const notYet = await t.api.get('/api/tenant/data-source', { token });
    expect(notYet.status).toBe(404);
    expect(notYet.body.message).toContain('PUT /api/tenant/data-source as its tenant admin');
    const configured = await t.api.put('/api/tenant/data-source', { ...mysqlSource(), readOnly: false }, { token });
    expect(configured.status).toBe(200);
    expect(
      (await t.api.post('/api/tenant/data-source/test', undefined, { token })).body.introspection.tables.map(
        (table: { name: string }) => table.name,
      ),
    ).toContain('vehicles');
    expect((await t.api.put('/api/tenant/data-source/mappings', { entities: { inventory_item: validInventory } }, { token })).status).toBe(
      200,
    );
    expect((await t.api.post('/api/tenant/data-source/activate', undefined, { token })).body.status).toBe('active');
    expect((await t.api.get(path(tenant.id), { token: admin })).body.status).toBe('active');
    const [entry] = await t.sql("SELECT actor_user_id FROM audit_log WHERE action = 'data_source.activate' AND target_id = $1", [
      tenant.id,
    ]);
    expect(entry.actor_user_id).toBe(accepted.userId);

    await t.api.post('/api/roles', { name: 'clerk', permissions: ['inventory.read'] }, { token });
    await inviteIntoTenant(t.api, token, `clerk-${tenant.slug}@example.test`, 'clerk');
    const clerk = (await loginAs(t.api, `clerk-${tenant.slug}@example.test`, 'a-long-enough-password')).accessToken;
    const refused = await t.api.get('/api/tenant/data-source', { token: clerk });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/data_source.manage/);

    const pooled = await createTenant(t.api, admin, { placement: 'pooled' });
    const pooledAdmin = (await loginAs(t.api, pooled.admin.email, pooled.admin.password)).accessToken;
    expect((await t.api.put('/api/tenant/data-source', mysqlSource(), { token: pooledAdmin })).status).toBe(409);
  });

  it('onboards a MariaDB source: configure, test, map, activate — no secret ever answered or audited', async () => {
    const tenant = await byodTenant();
    expect((await t.api.post(path(tenant.id, '/activate'), undefined, { token: admin })).status).toBe(404);
    const secret = `maria-${suffix}-never-shown`;
    // Configured with a wrong password first: the test names the problem, never the password.
    const configured = await t.api.put(path(tenant.id), mysqlSource(secret), { token: admin });
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({
      kind: 'mysql',
      status: 'configured',
      readOnly: true,
      connection: { host: '127.0.0.1', user: 'root', passwordSet: true },
    });
    expect(JSON.stringify(configured.body)).not.toContain(secret);
    const read = await t.api.get(path(tenant.id), { token: admin });
    expect(read.body.connection).not.toHaveProperty('password');
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const wrong = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toMatch(/Cannot introspect MySQL at 127\.0\.0\.1:3306.*Access denied/);
    expect(JSON.stringify(wrong.body)).not.toContain(secret);

    const before = await t.api.post(path(tenant.id, '/activate'), undefined, { token: admin });
    expect(before.status).toBe(409);
    expect(before.body.message).toMatch(/connection test.*field mappings/);
    expect((await t.api.put(path(tenant.id, '/mappings'), { entities: { inventory_item: validInventory } }, { token: admin })).status).toBe(
      409,
    );

    expect((await t.api.put(path(tenant.id), mysqlSource(''), { token: admin })).status).toBe(200);
    const tested = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(tested.status).toBe(200);
    expect(tested.body.status).toBe('tested');
    expect(tested.body.introspection.tables).toEqual([
      {
        name: 'vehicles',
        columns: [
          { name: 'vehicle_id', type: 'text', rawType: 'varchar(32)', nullable: false, hasDefault: false, primaryKey: true, maxLength: 32 },
          {
            name: 'model_name',
            type: 'text',
            rawType: 'varchar(100)',
            nullable: true,
            hasDefault: false,
            primaryKey: false,
            maxLength: 100,
          },
          {
            name: 'vehicle_inventory_count',
            type: 'integer',
            rawType: expect.stringMatching(/^int/),
            nullable: true,
            hasDefault: false,
            primaryKey: false,
          },
          {
            name: 'current_sale_price',
            type: 'decimal',
            rawType: 'decimal(12,2)',
            nullable: true,
            hasDefault: false,
            primaryKey: false,
            precision: 12,
            scale: 2,
          },
          {
            name: 'vehicle_status',
            type: 'text',
            rawType: 'varchar(16)',
            nullable: true,
            hasDefault: false,
            primaryKey: false,
            maxLength: 16,
          },
        ],
      },
    ]);

    const noMappings = await t.api.post(path(tenant.id, '/activate'), undefined, { token: admin });
    expect(noMappings.status).toBe(409);
    expect(noMappings.body.message).toMatch(/field mappings/);
    expect(noMappings.body.message).not.toMatch(/connection test/);

    const mapped = await t.api.put(path(tenant.id, '/mappings'), { entities: { inventory_item: validInventory } }, { token: admin });
    expect(mapped.status).toBe(200);
    expect(mapped.body.mappings).toEqual({ inventory_item: validInventory });
    const activated = await t.api.post(path(tenant.id, '/activate'), undefined, { token: admin });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', activatedAt: expect.any(String) });

    const audit = await t.sql(
      `SELECT action, changes::text AS changes FROM audit_log WHERE tenant_id = $1 AND action LIKE 'data_source.%' ORDER BY id`,
      [tenant.id],
    );
    expect(audit.map((row) => row.action)).toEqual([
      'data_source.create',
      'data_source.update',
      'data_source.test',
      'data_source.mappings',
      'data_source.activate',
    ]);
    for (const row of audit) expect(row.changes).not.toContain(secret);
    const [stored] = await t.sql('SELECT settings_encrypted FROM tenant_data_sources WHERE tenant_id = $1', [tenant.id]);
    expect(stored.settings_encrypted).toMatch(/^v1:test1:/);
  });

  it('refuses invalid mappings with 422 naming every problem, storing nothing', async () => {
    const tenant = await byodTenant();
    await t.api.put(path(tenant.id), mysqlSource(), { token: admin });
    await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    const response = await t.api.put(
      path(tenant.id, '/mappings'),
      {
        entities: {
          inventory_item: {
            table: 'vehicles',
            fields: {
              sku: 'vehicle_id',
              name: 'no_such_column',
              stock_on_hand: 'model_name',
              price_selling_minor: 'x"; DROP TABLE vehicles; --',
              status: 'vehicle_status',
              currency: 'vehicle_id',
            },
            valueMaps: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold' } },
            validations: { status: { oneOf: ['available', 'discontinued'] } },
          },
          contact: { table: 'customers', fields: { first_name: 'fname' } },
        },
      },
      { token: admin },
    );
    expect(response.status).toBe(422);
    const problems = Object.fromEntries(
      (response.body.details as Array<{ field: string; problems: string[] }>).map((d) => [d.field, d.problems.join(' | ')]),
    );
    expect(problems['mappings.inventory_item.fields.name']).toMatch(/column "no_such_column" does not exist in table "vehicles"/);
    expect(problems['mappings.inventory_item.fields.stock_on_hand']).toMatch(
      /"model_name" is text \(varchar\(100\)\); this field needs integer/,
    );
    expect(problems['mappings.inventory_item.fields.price_selling_minor']).toMatch(/column "x\\"; DROP TABLE vehicles; --" does not exist/);
    expect(problems['mappings.inventory_item.fields.currency']).toMatch(/"vehicle_id" is already mapped to sku/);
    expect(problems['mappings.inventory_item.valueMaps.status']).toMatch(/has no value for archived/);
    expect(problems['mappings.inventory_item.validations.status']).toMatch(/oneOf has values the field can never hold \(discontinued\)/);
    expect(problems['mappings.contact.table']).toMatch(/table "customers" does not exist/);
    expect(problems['mappings.contact.fields.last_name']).toBe('is required but not mapped');
    const read = await t.api.get(path(tenant.id), { token: admin });
    expect(read.body.mappings).toBeNull();
    const unknownEntity = await t.api.put(
      path(tenant.id, '/mappings'),
      { entities: { invoices: { table: 'vehicles', fields: {} } } },
      { token: admin },
    );
    expect(unknownEntity.status).toBe(400);
    // The legacy table is untouched.
    const mysql = await createConnection({ ...mysqlRoot, database: mysqlDatabase });
    const [tables] = await mysql.query('SHOW TABLES');
    await mysql.end();
    expect(tables).toHaveLength(1);
  });

  it('introspects a PostgreSQL source with its own column names, never echoing the password', async () => {
    const tenant = await byodTenant();
    const connection = {
      host: '127.0.0.1',
      port: Number(new URL(process.env.TENANTRY_TEST_ADMIN_URL!).port || 5432),
      database: postgresDatabase,
      user: pgRole,
      password: 'wrong-password-xyz',
    };
    // The local server may trust 127.0.0.1, so the failure is a missing database; the password still must not show.
    await t.api.put(
      path(tenant.id),
      { kind: 'postgres', readOnly: false, connection: { ...connection, database: `missing_${suffix}` } },
      { token: admin },
    );
    const wrong = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toMatch(/Cannot introspect PostgreSQL at 127\.0\.0\.1.*missing_/);
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-password-xyz');

    await t.api.put(
      path(tenant.id),
      { kind: 'postgres', readOnly: false, connection: { ...connection, password: PG_PASSWORD, schema: 'public' } },
      { token: admin },
    );
    const tested = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(tested.status).toBe(200);
    const people = tested.body.introspection.tables.find((table: { name: string }) => table.name === 'people');
    expect(people.columns.map((c: { name: string; type: string; primaryKey: boolean }) => [c.name, c.type, c.primaryKey])).toEqual([
      ['person_no', 'integer', true],
      ['given_name', 'text', false],
      ['family_name', 'text', false],
      ['mail', 'text', false],
      ['born', 'date', false],
      ['vip', 'boolean', false],
    ]);
    expect(people.columns[0].hasDefault).toBe(true);
    expect(JSON.stringify(tested.body)).not.toContain(PG_PASSWORD);
    const mapped = await t.api.put(
      path(tenant.id, '/mappings'),
      {
        entities: {
          contact: { table: 'people', fields: { id: 'person_no', first_name: 'given_name', last_name: 'family_name', email: 'mail' } },
        },
      },
      { token: admin },
    );
    expect(mapped.status).toBe(200);
    expect((await t.api.post(path(tenant.id, '/activate'), undefined, { token: admin })).body.status).toBe('active');
  });

  it('tests a REST source with its key and headers, which are never answered back', async () => {
    const tenant = await byodTenant();
    const settings = {
      kind: 'rest',
      readOnly: true,
      connection: { baseUrl: restUrl, apiKey: 'rest-api-key-123', headers: { 'X-Client-ID': 'dealer-9' }, healthPath: '/health' },
    };
    const configured = await t.api.put(path(tenant.id), settings, { token: admin });
    expect(configured.body.connection).toEqual({ baseUrl: restUrl, healthPath: '/health', apiKeySet: true, headerNames: ['X-Client-ID'] });
    const tested = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(tested.status).toBe(200);
    expect(tested.body.endpoint).toMatchObject({ status: 200, url: `${restUrl}/health` });
    expect(restRequests.at(-1)).toMatchObject({ authorization: 'Bearer rest-api-key-123', 'x-client-id': 'dealer-9' });
    expect(JSON.stringify(tested.body)).not.toMatch(/rest-api-key-123|dealer-9/);

    await t.api.put(path(tenant.id), { ...settings, connection: { ...settings.connection, healthPath: '/big' } }, { token: admin });
    const big = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(big.status).toBe(422);
    expect(big.body.message).toMatch(/larger than 1048576 bytes/);

    await t.api.put(path(tenant.id), { ...settings, connection: { baseUrl: 'http://169.254.169.254/latest' } }, { token: admin });
    const metadata = await t.api.post(path(tenant.id, '/test'), undefined, { token: admin });
    expect(metadata.status).toBe(422);
    expect(metadata.body.message).toMatch(/169\.254\.169\.254 is a cloud metadata address/);

    const withCredentials = await t.api.put(
      path(tenant.id),
      { ...settings, connection: { baseUrl: 'http://user:pw@example.com/' } },
      { token: admin },
    );
    expect(withCredentials.status).toBe(400);
  });

  it('refuses sources on private networks when the platform does not allow them', async () => {
    const token = await adminToken(strict.api);
    const tenant = await createTenant(strict.api, token, { placement: 'byod' });
    await strict.api.put(path(tenant.id), { kind: 'rest', readOnly: true, connection: { baseUrl: restUrl } }, { token });
    const refused = await strict.api.post(path(tenant.id, '/test'), undefined, { token });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    await strict.api.put(path(tenant.id), mysqlSource(), { token });
    expect((await strict.api.post(path(tenant.id, '/test'), undefined, { token })).status).toBe(422);
    expect((await strict.api.get(path(tenant.id), { token })).body.status).toBe('configured');
  });

  it('answers 409 for a tenant that is not byod and 400 for a mysql schema', async () => {
    const pooled = await createTenant(t.api, admin, { placement: 'pooled' });
    const response = await t.api.put(path(pooled.id), mysqlSource(), { token: admin });
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/only a byod tenant has a data source/);
    expect((await t.api.get(path(pooled.id), { token: admin })).status).toBe(409);
    const tenant = await byodTenant();
    const schema = await t.api.put(
      path(tenant.id),
      { ...mysqlSource(), connection: { ...mysqlSource().connection, schema: 'x' } },
      { token: admin },
    );
    expect(schema.status).toBe(400);
  });
});
