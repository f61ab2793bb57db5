import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { killHard, listeningUrl, startAppProcess } from './support/app-process';
import { adminToken } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { HttpClient } from './support/http-client';
import { LEGACY_MYSQL, onLegacyMysql } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A change to a byod tenant's data source, made through one app process, applies to the very next
 * request on another OS process: no TTL to wait out. Both cache tenants for a minute, so whatever
 * the other process does right after the change's 200, it did not learn by expiry.
 */
const suffix = randomBytes(4).toString('hex');
const [dbA, dbB] = [`chg_a_${suffix}`, `chg_b_${suffix}`];
const [WRITER, READER] = [`chg_rw_${suffix}`, `chg_ro_${suffix}`];
/** A login of its own for the tenant whose pools must be seen drained. */
const SWITCHED_WRITER = `chg_sw_${suffix}`;
const PASSWORD = `chg-${suffix}`;
const SETTINGS = { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '2000', TENANT_CACHE_TTL_SECONDS: '60' };
const TABLE = `CREATE TABLE stock (code varchar(32) PRIMARY KEY, label varchar(100) NOT NULL, qty integer NOT NULL, price decimal(12,2) NOT NULL, state varchar(16) NOT NULL)`;
const MAPPING = {
  table: 'stock',
  fields: { sku: 'code', name: 'label', stock_on_hand: 'qty', price_selling_minor: 'price', status: 'state' },
  valueMaps: { status: { available: 'AVAIL', reserved: 'HELD', sold: 'GONE', archived: 'OFF' } },
};
const connection = (database: string, user: string) => ({
  kind: 'mysql',
  connection: { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database, user, password: PASSWORD },
});

/** Connections `user` holds open on the MariaDB server, whatever process opened them. */
async function connectionsOf(user: string): Promise<number> {
  const rows = (await onLegacyMysql(`SELECT count(*) AS n FROM information_schema.processlist WHERE user = '${user}'`)) as Array<{
    n: number;
  }>;
  return Number(rows[0].n);
}

async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('a data-source change applies to the next request on every process', () => {
  let a: TestApp;
  let other: ChildProcess;
  let b: HttpClient;
  let admin: string;

  beforeAll(async () => {
    for (const database of [dbA, dbB]) {
      await onLegacyMysql(`CREATE DATABASE ${database}; USE ${database}; ${TABLE}`);
    }
    await onLegacyMysql(
      `INSERT INTO ${dbA}.stock VALUES ('A-1', 'From A', 3, 10.00, 'AVAIL'); INSERT INTO ${dbB}.stock VALUES ('B-1', 'From B', 4, 20.00, 'AVAIL')`,
    );
    await onLegacyMysql(
      `CREATE USER '${WRITER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT SELECT, INSERT, UPDATE, DELETE ON ${dbA}.* TO '${WRITER}'@'%';
       CREATE USER '${SWITCHED_WRITER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT SELECT, INSERT, UPDATE, DELETE ON ${dbA}.* TO '${SWITCHED_WRITER}'@'%';
       CREATE USER '${READER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT SELECT ON ${dbB}.* TO '${READER}'@'%'`,
    );
    a = await startTestApp({ env: SETTINGS });
    other = startAppProcess(a.databaseUrl, SETTINGS, { captureOutput: true });
    b = new HttpClient(await listeningUrl(other));
    admin = await adminToken(a.api);
  }, 90_000);

  afterAll(async () => {
    if (other) await killHard(other);
    await a?.close();
    await onLegacyMysql(
      `DROP DATABASE IF EXISTS ${dbA}; DROP DATABASE IF EXISTS ${dbB}; DROP USER IF EXISTS '${WRITER}'@'%'; DROP USER IF EXISTS '${READER}'@'%'; DROP USER IF EXISTS '${SWITCHED_WRITER}'@'%'`,
    );
  });

  /** A tenant served from database A by a read-write login, warmed up on both processes. */
  async function tenantOnA(writer = WRITER) {
    const { tenant, token, base } = await activeByodTenant(a.api, admin, {
      settings: connection(dbA, writer),
      entities: { inventory_item: MAPPING },
    });
    for (const api of [a.api, b]) expect((await api.get('/api/inventory/items', { token })).body.items).toHaveLength(1);
    return { tenant, token, base };
  }

  const skus = async (api: HttpClient, token: string) =>
    ((await api.get('/api/inventory/items?sort=sku', { token })).body.items as Array<{ sku: string }>).map((item) => item.sku);

  it('enforces a new field rule on the other process from the next request: the breaking write never reaches the customer', async () => {
    const { token, base } = await tenantOnA();
    const ruled = { ...MAPPING, validations: { name: { maxLength: 5 } } };
    expect((await a.api.put(`${base}/mappings`, { entities: { inventory_item: ruled } }, { token: admin })).status).toBe(200);

    const write = await b.post('/api/inventory/items', { sku: 'A-LONG', name: 'Far too long a name', priceSellingMinor: 100 }, { token });
    expect({ status: write.status, body: write.body }).toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'name' })] },
    });
    expect(await onLegacyMysql(`SELECT code FROM ${dbA}.stock WHERE code = 'A-LONG'`)).toEqual([]);
  });

  it('after a switch to another database behind a read-only login, the other process lists from it and refuses writes at once; the old pools are drained on both', async () => {
    const { token, base } = await tenantOnA(SWITCHED_WRITER);
    expect(await connectionsOf(SWITCHED_WRITER)).toBeGreaterThan(0);
    const staged = `${base}/staged`;
    expect((await a.api.put(staged, { ...connection(dbB, READER), readOnly: true }, { token: admin })).status).toBe(200);
    expect((await a.api.post(`${staged}/test`, undefined, { token: admin })).status).toBe(200);
    expect((await a.api.post(`${staged}/switch`, undefined, { token: admin })).status).toBe(200);

    const [listed, written] = await Promise.all([
      skus(b, token),
      b.post('/api/inventory/items', { sku: 'LATE', name: 'Late', priceSellingMinor: 100 }, { token }),
    ]);
    expect(listed).toEqual(['B-1']);
    expect(written.status).toBe(403);
    expect(await onLegacyMysql(`SELECT code FROM ${dbA}.stock WHERE code = 'LATE'`)).toEqual([]);
    expect(await skus(a.api, token)).toEqual(['B-1']);
    // Nothing holds the replaced pools any more: both processes close them without waiting for a timeout.
    expect(await eventually(async () => (await connectionsOf(SWITCHED_WRITER)) === 0, 3_000)).toBe(true);
  });

  it('a read-only flag set through one process refuses the next write on the other', async () => {
    const { tenant, token } = await tenantOnA();
    const staged = `/control/tenants/${tenant.id}/data-source/staged`;
    expect((await a.api.put(staged, { ...connection(dbA, WRITER), readOnly: true }, { token: admin })).status).toBe(200);
    expect((await a.api.post(`${staged}/test`, undefined, { token: admin })).status).toBe(200);
    expect((await a.api.post(`${staged}/switch`, undefined, { token: admin })).status).toBe(200);

    const write = await b.post('/api/inventory/items', { sku: 'A-RO', name: 'Refused', priceSellingMinor: 100 }, { token });
    expect(write.status).toBe(403);
    expect(await onLegacyMysql(`SELECT code FROM ${dbA}.stock WHERE code = 'A-RO'`)).toEqual([]);
  });
});
