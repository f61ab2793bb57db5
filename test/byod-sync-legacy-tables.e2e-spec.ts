import { randomBytes } from 'node:crypto';
import { activeByodTenant } from './support/byod-tenants';
import { waitForDomainEvents } from './support/domain-events';
import { adminToken } from './support/factories';
import { LEGACY_MYSQL, onLegacyMysql } from './support/legacy-databases';
import { endedSyncRun } from './support/source-sync-runs';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Background sync and paging over legacy MariaDB tables shaped as customers have them: an updated_at column of
 * NULLs, columns named like other fields of ours, BIGINT keys beyond 2^53. Each test has a database and tenant of its
 * own, changed behind the product's back with statements straight on MariaDB.
 */
const suffix = randomBytes(4).toString('hex');
const PEOPLE = { table: 'people', fields: { id: 'id', first_name: 'first', last_name: 'last', email: 'email', updated_at: 'changed_at' } };
/** More rows than a sync or export page holds. */
const ROWS = 600;

describe('sync and paging over legacy MariaDB tables', () => {
  let app: TestApp;
  let admin: string;
  const databases: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', SOURCE_SYNC_RETRY_DELAY_SECONDS: '1' } });
    admin = await adminToken(app.api);
  });

  afterAll(async () => {
    await app?.close();
    for (const database of databases) await onLegacyMysql(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS '${database}'@'%'`);
  });

  /** A byod tenant on a database of its own holding `tables`, mapped as `entities`. */
  async function legacyTenant(tag: string, tables: string, entities: Record<string, unknown>) {
    const database = `synclegacy_${tag}_${suffix}`;
    databases.push(database);
    await onLegacyMysql(
      `CREATE DATABASE ${database}; USE ${database}; ${tables}
       CREATE USER '${database}'@'%' IDENTIFIED BY 'pw-${suffix}'; GRANT SELECT, INSERT, UPDATE, DELETE ON ${database}.* TO '${database}'@'%'`,
    );
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database, user: database, password: `pw-${suffix}` };
    const { base, token, tenant } = await activeByodTenant(app.api, admin, { settings: { kind: 'mysql', connection }, entities });
    return { database, base, token, tenantId: tenant.id };
  }

  const syncNow = (base: string) => endedSyncRun(app.api, admin, base);

  it('finds changes in a table whose updated_at column holds only NULLs so far, and reads from its times once it has some', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => `('F${i}', 'L${i}')`).join(', ');
    const { database, base } = await legacyTenant(
      'nulltimes',
      `CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed_at datetime NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP);
       INSERT INTO people (first, last) VALUES ${rows};`,
      { contact: PEOPLE },
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: ROWS });

    await onLegacyMysql(`USE ${database}; UPDATE people SET email = 'changed@example.test' WHERE id = 7;
      INSERT INTO people (id, first, last, changed_at) VALUES (1000, 'New', 'Row', NOW());`);
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 1, updated: 1, deleted: 0 } });

    // Rows now carry times: the next run reads from them only, and still finds what changed.
    await onLegacyMysql(`USE ${database}; UPDATE people SET email = 'again@example.test' WHERE id = 8;`);
    const run = await syncNow(base);
    expect(run).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 1, deleted: 0 } });
    expect(run.rowsSeen).toBeLessThan(ROWS);
  });

  it('pages through every row once when the key column is named like another field of ours (sku in a column called name)', async () => {
    const rows = Array.from(
      { length: ROWS },
      (_, i) => `('K${String(i).padStart(4, '0')}', 'T${String(ROWS - 1 - i).padStart(4, '0')}', ${i}, 1.00)`,
    ).join(', ');
    const { base, token } = await legacyTenant(
      'aliased',
      `CREATE TABLE articles (name varchar(32) PRIMARY KEY, title varchar(100) NOT NULL, qty integer NOT NULL, price decimal(12,2) NOT NULL);
       INSERT INTO articles VALUES ${rows};`,
      { inventory_item: { table: 'articles', fields: { sku: 'name', name: 'title', stock_on_hand: 'qty', price_selling_minor: 'price' } } },
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: ROWS });

    const skus: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ sku: string }>; nextCursor: string | null } } = await app.api.get(
        `/api/inventory/items?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(page.status).toBe(200);
      skus.push(...page.body.items.map((item) => item.sku));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(skus).toHaveLength(ROWS);
    expect(new Set(skus).size).toBe(ROWS);
  });

  it('keeps BIGINT keys beyond 2^53 apart (snowflake ids): synced and read each as itself', async () => {
    const { base, token } = await legacyTenant(
      'bigkeys',
      `CREATE TABLE people (id bigint PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
       INSERT INTO people (id, first, last) VALUES (1790000000000000001, 'Ada', 'Lovelace'), (1790000000000000002, 'Alan', 'Turing');`,
      { contact: PEOPLE },
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: 2 });
    const listed = await app.api.get('/api/contacts?limit=10', { token });
    expect(listed.body.items.map((contact: { id: unknown }) => String(contact.id)).sort()).toEqual([
      '1790000000000000001',
      '1790000000000000002',
    ]);
    const alan = await app.api.get('/api/contacts/1790000000000000002', { token });
    expect(alan.body).toMatchObject({ firstName: 'Alan', lastName: 'Turing' });
  });

  it('names a record deleted over the API by its key as the source holds it (010 is 10, s-1 is S-1), and the next sync raises no deletion again', async () => {
    const { base, token, tenantId } = await legacyTenant(
      'apidelete',
      `CREATE TABLE people (id int PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
       CREATE TABLE stock (code varchar(32) PRIMARY KEY, label varchar(100) NOT NULL, qty integer NOT NULL, price decimal(12,2) NOT NULL);
       INSERT INTO people (id, first, last) VALUES (10, 'Ada', 'Lovelace'), (11, 'Alan', 'Turing');
       INSERT INTO stock VALUES ('S-1', 'Bolt', 10, 1.50), ('S-2', 'Nut', 20, 0.25);`,
      {
        contact: PEOPLE,
        inventory_item: { table: 'stock', fields: { sku: 'code', name: 'label', stock_on_hand: 'qty', price_selling_minor: 'price' } },
      },
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true });
    expect((await app.api.delete('/api/contacts/010', { token })).status).toBe(204);
    expect((await app.api.delete('/api/inventory/items/s-1', { token })).status).toBe(204);

    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 0, deleted: 0 } });
    const deleted = await waitForDomainEvents((text, params) => app.sql(text, params), tenantId, {
      done: (events) => events.filter((event) => event.type.endsWith('.deleted')).length >= 2,
    });
    expect(deleted.filter((event) => event.type.endsWith('.deleted')).map((event) => [event.type, String(event.data.record.id)])).toEqual([
      ['contact.deleted', '10'],
      ['inventory_item.deleted', 'S-1'],
    ]);
  });

  it('is not held back by a row stamped in the future, and announces a row that arrives stamped before the watermark', async () => {
    const { database, base } = await legacyTenant(
      'stamps',
      `CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
       INSERT INTO people (first, last) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing');
       INSERT INTO people (first, last, changed_at) VALUES ('Never', 'Expires', '9999-12-31 23:59:59');`,
      { contact: PEOPLE },
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: 3 });
    await onLegacyMysql(
      `USE ${database}; UPDATE people SET email = 'ada@new.test' WHERE id = 1; INSERT INTO people (id, first, last) VALUES (50, 'Grace', 'Hopper');`,
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 1, updated: 1, deleted: 0 } });

    // An import keeping its rows' old times: the watermark's pass does not read it, the count tells it is there.
    await onLegacyMysql(
      `USE ${database}; INSERT INTO people (id, first, last, changed_at) VALUES (60, 'Imported', 'Old', '2019-05-01 00:00:00');`,
    );
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 1, updated: 0, deleted: 0 } });
    await onLegacyMysql(`USE ${database}; DELETE FROM people WHERE id = 2;`);
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 0, deleted: 1 } });
  });

  it('names the column a create leaves without a value when the mapping leaves it out, with a 422', async () => {
    const { token } = await legacyTenant(
      'regional',
      `CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed_at datetime NULL, region varchar(20) NOT NULL);`,
      { contact: PEOPLE },
    );
    const refused = await app.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('its column "region", which the tenant\'s mapping leaves out, needs a value');
  });
});
