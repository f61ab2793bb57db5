import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { adminToken } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { LEGACY_MYSQL, onLegacyMysql } from './support/legacy-databases';
import { startTcpRelay, TcpRelay } from './support/tcp-relay';
import { startTestApp, TestApp } from './support/test-app';
import { SourceSyncRuns } from '../src/control-plane/source-sync/source-sync-runs.service';

/**
 * Background sync of a byod tenant's own MariaDB, changed behind the product's back (statements
 * straight on MariaDB): contacts map an `updated_at` column (watermark), inventory items do not
 * (fingerprints). Each run's history and the domain events it recorded are checked exactly.
 */
const suffix = randomBytes(4).toString('hex');
const DATABASE = `sync_${suffix}`;
const USER = `sync_rw_${suffix}`;
const PASSWORD = `sync-${suffix}`;
const SETTINGS = {
  BYOD_ALLOW_PRIVATE_NETWORKS: 'true',
  BYOD_CONNECT_TIMEOUT_MS: '2000',
  BYOD_BREAKER_RESET_MS: '3000',
  SOURCE_SYNC_RETRY_DELAY_SECONDS: '1',
};
const TABLES = `
  CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
    changed_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3));
  CREATE TABLE stock (code varchar(32) PRIMARY KEY, label varchar(100) NOT NULL, qty integer NOT NULL, price decimal(12,2) NOT NULL);
  INSERT INTO people (first, last, email) VALUES ('Ada', 'Lovelace', 'ada@example.test'), ('Alan', 'Turing', 'alan@example.test');
  INSERT INTO people (id, first, last, changed_at) VALUES (5, 'Old', 'Timer', '2020-01-01 00:00:00');
  INSERT INTO stock VALUES ('S-1', 'Bolt', 10, 1.50), ('S-2', 'Nut', 20, 0.25);`;
const ENTITIES = {
  contact: { table: 'people', fields: { id: 'id', first_name: 'first', last_name: 'last', email: 'email', updated_at: 'changed_at' } },
  inventory_item: { table: 'stock', fields: { sku: 'code', name: 'label', stock_on_hand: 'qty', price_selling_minor: 'price' } },
};
const source = (port: number) => ({
  settings: { kind: 'mysql', connection: { host: LEGACY_MYSQL.host, port, database: DATABASE, user: USER, password: PASSWORD } },
  entities: ENTITIES,
});

describe('background sync of a byod source changed behind the product’s back', () => {
  let app: TestApp;
  let admin: string;
  let relay: TcpRelay;
  let base: string;
  let tenantId: string;
  let tenantAdmin: string;

  beforeAll(async () => {
    await onLegacyMysql(
      `CREATE DATABASE ${DATABASE}; USE ${DATABASE}; ${TABLES}
       CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT SELECT, INSERT, UPDATE, DELETE ON ${DATABASE}.* TO '${USER}'@'%'`,
    );
    relay = await startTcpRelay(LEGACY_MYSQL.host, LEGACY_MYSQL.port);
    app = await startTestApp({ env: SETTINGS });
    admin = await adminToken(app.api);
    const tenant = await activeByodTenant(app.api, admin, source(relay.port));
    base = tenant.base;
    tenantId = tenant.tenant.id;
    tenantAdmin = tenant.token;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await relay?.down();
    await onLegacyMysql(`DROP DATABASE IF EXISTS ${DATABASE}; DROP USER IF EXISTS '${USER}'@'%'`);
  });

  async function runUntil(runId: string, done: (run: any) => boolean): Promise<any> {
    for (const deadline = Date.now() + 15_000; ;) {
      const history = await app.api.get(`${base}/sync/runs?limit=100`, { token: admin });
      const run = history.body.items.find((item: { id: string }) => item.id === runId);
      if (run && done(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} is still ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function syncNow(): Promise<any> {
    const answer = await app.api.post(`${base}/sync`, undefined, { token: admin });
    expect(answer.status).toBe(202);
    return runUntil(answer.body.id, (run) => run.status === 'succeeded' || run.status === 'failed');
  }

  const syncEvents = () =>
    app.sql<{ id: string; type: string; data: any }>(
      `SELECT id, type, data FROM domain_events WHERE tenant_id = $1 AND data->>'origin' = 'source_sync' ORDER BY seq`,
      [tenantId],
    );

  it('takes a baseline on the first run: every row fingerprinted, no event raised', async () => {
    const run = await syncNow();
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      baseline: true,
      rowsSeen: 5,
      changes: { created: 0, updated: 0, deleted: 0 },
    });
    expect(await syncEvents()).toEqual([]);
  });

  it('raises exactly the created, updated and deleted events of rows changed in MariaDB, with and without an updated_at mapping', async () => {
    await onLegacyMysql(
      `USE ${DATABASE};
       INSERT INTO people (id, first, last, email) VALUES (10, 'Grace', 'Hopper', 'grace@example.test');
       UPDATE people SET email = 'ada@new.example.test' WHERE first = 'Ada';
       DELETE FROM people WHERE first = 'Alan';
       INSERT INTO stock VALUES ('S-3', 'Washer', 30, 0.10);
       UPDATE stock SET qty = 9 WHERE code = 'S-1';
       DELETE FROM stock WHERE code = 'S-2';`,
    );
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', baseline: false, changes: { created: 2, updated: 2, deleted: 2 }, error: null });

    const events = await syncEvents();
    const byType = Object.fromEntries(events.map((event) => [`${event.type}:${event.data.record.id}`, event.data]));
    expect(Object.keys(byType).sort()).toEqual(
      [
        'contact.created:10',
        'contact.updated:1',
        'contact.deleted:2',
        'inventory_item.created:S-3',
        'inventory_item.updated:S-1',
        'inventory_item.deleted:S-2',
      ].sort(),
    );
    expect(byType['contact.created:10']).toMatchObject({
      origin: 'source_sync',
      record: { id: '10', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.test' },
    });
    expect(byType['contact.updated:1'].changes).toMatchObject({ email: 'ada@new.example.test' });
    expect(Object.keys(byType['contact.updated:1'].changes).sort()).toEqual(['email', 'updatedAt']);
    expect(byType['inventory_item.updated:S-1']).toMatchObject({
      record: { id: 'S-1', name: 'Bolt', stockOnHand: 9, priceSellingMinor: 150 },
      changes: { stockOnHand: 9 },
    });
    expect(byType['inventory_item.deleted:S-2']).toEqual({ origin: 'source_sync', record: { id: 'S-2' } });
  });

  it('finds nothing new when run again: contacts are read from the watermark (less its overlap) only, unchanged', async () => {
    const before = await syncEvents();
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', baseline: false, changes: { created: 0, updated: 0, deleted: 0 } });
    // Both items (no updated_at), and the two contacts changed minutes ago; not the one last changed in 2020.
    expect(run.rowsSeen).toBe(4);
    expect(await syncEvents()).toEqual(before);
  });

  it('does not announce again what the API itself wrote to the source, only what the customer’s system changed besides', async () => {
    const before = await syncEvents();
    const created = await app.api.post('/api/contacts', { firstName: 'Api', lastName: 'Made' }, { token: tenantAdmin });
    expect(created.status).toBe(201);
    expect((await app.api.delete('/api/contacts/10', { token: tenantAdmin })).status).toBe(204);
    expect((await app.api.patch('/api/inventory/items/S-3', { name: 'Washer XL' }, { token: tenantAdmin })).status).toBe(200);
    await onLegacyMysql(`UPDATE ${DATABASE}.stock SET qty = 31 WHERE code = 'S-3'`);

    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 1, deleted: 0 } });
    const raised = (await syncEvents()).slice(before.length);
    expect(raised.map((event) => ({ type: event.type, id: event.data.record.id, changes: event.data.changes }))).toEqual([
      { type: 'inventory_item.updated', id: 'S-3', changes: { stockOnHand: 31 } },
    ]);
    expect(raised[0].data.record).toMatchObject({ name: 'Washer XL', stockOnHand: 31 });
  });

  it('answers two concurrent "sync now" with one and the same run', async () => {
    const [count] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM source_sync_runs WHERE tenant_id = $1`, [tenantId]);
    // The customer's tables are locked meanwhile, so the run cannot finish before the second request is answered: a run
    // that has finished is history, and a request after it rightly starts another.
    const holder = await createConnection(LEGACY_MYSQL);
    const answers = await holder
      .query(`LOCK TABLES ${DATABASE}.people WRITE, ${DATABASE}.stock WRITE`)
      .then(() => Promise.all([1, 2].map(() => app.api.post(`${base}/sync`, undefined, { token: admin }))))
      .finally(() => holder.end());
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect(answers[1].body.id).toBe(answers[0].body.id);
    await runUntil(answers[0].body.id, (run) => run.status === 'succeeded');
    const [after] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM source_sync_runs WHERE tenant_id = $1`, [tenantId]);
    expect(after.n).toBe(count.n + 1);
  });

  it('records a run against a source that is down as retrying with the reason, and completes it on a retry once the source is back', async () => {
    await onLegacyMysql(`UPDATE ${DATABASE}.stock SET label = 'Big bolt' WHERE code = 'S-1'`);
    await relay.down();
    const answer = await app.api.post(`${base}/sync`, undefined, { token: admin });
    expect(answer.status).toBe(202);
    const retrying = await runUntil(answer.body.id, (run) => run.status === 'retrying');
    expect(retrying.error).toMatch(/The tenant's database (did not answer|is unavailable)/);
    expect(retrying.error).not.toContain(PASSWORD);

    await relay.up();
    const done = await runUntil(answer.body.id, (run) => run.status === 'succeeded');
    expect(done).toMatchObject({ error: null, changes: { created: 0, updated: 1, deleted: 0 } });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
  });

  it('does not call a source whose circuit breaker is open: the run waits with that reason, and completes once the breaker lets calls through', async () => {
    await onLegacyMysql(`UPDATE ${DATABASE}.stock SET label = 'Bigger bolt' WHERE code = 'S-1'`);
    await relay.down();
    let answer = await app.api.get('/api/contacts', { token: tenantAdmin });
    // The breaker opens once failures are half of the calls of its last 10 s, the successful ones of earlier tests included.
    for (let calls = 1; !/paused/.test(answer.body.message) && calls < 200; calls += 1) {
      expect(answer.status).toBe(503);
      answer = await app.api.get('/api/contacts', { token: tenantAdmin });
    }
    expect({ status: answer.status, message: answer.body.message }).toEqual({ status: 503, message: expect.stringMatching(/paused/) });

    const sync = await app.api.post(`${base}/sync`, undefined, { token: admin });
    const waiting = await runUntil(sync.body.id, (run) => run.status === 'retrying');
    expect(waiting).toMatchObject({ rowsSeen: 0, error: expect.stringMatching(/circuit breaker is open/) });

    await relay.up();
    const done = await runUntil(sync.body.id, (run) => run.status === 'succeeded');
    expect(done).toMatchObject({ error: null, changes: { created: 0, updated: 1, deleted: 0 } });
  });

  it('takes a new baseline after the data source changes (its revision moves on), raising nothing', async () => {
    const before = await syncEvents();
    // Contacts are no longer mapped: the mapping change moves the revision on.
    expect(
      (await app.api.put(`${base}/mappings`, { entities: { inventory_item: ENTITIES.inventory_item } }, { token: admin })).status,
    ).toBe(200);
    await onLegacyMysql(`UPDATE ${DATABASE}.stock SET qty = 1 WHERE code = 'S-1'`);
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: 2, changes: { created: 0, updated: 0, deleted: 0 } });
    expect(await syncEvents()).toEqual(before);
  });

  it('validates and audits the sync settings, on the control and the tenant routes', async () => {
    const settings = `${base}/sync-settings`;
    for (const [body, field] of [
      [{ autoSync: true, syncFrequencyMinutes: 2 }, 'syncFrequencyMinutes'],
      [{ autoSync: true }, 'syncFrequencyMinutes'],
      [{ autoSync: 'yes', syncFrequencyMinutes: 30 }, 'autoSync'],
      [{ autoSync: false, syncFrequencyMinutes: null, extra: 1 }, 'extra'],
    ] as const) {
      const refused = await app.api.put(settings, body, { token: admin });
      expect({ status: refused.status, fields: refused.body.details?.map((detail: { field: string }) => detail.field) }).toEqual({
        status: 400,
        fields: [field],
      });
    }
    const saved = await app.api.put(settings, { autoSync: true, syncFrequencyMinutes: 15 }, { token: admin });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ autoSync: true, syncFrequencyMinutes: 15 });
    expect(new Date(saved.body.nextRunAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const own = await app.api.get('/api/tenant/data-source/sync-settings', { token: tenantAdmin });
    expect({ status: own.status, body: own.body }).toEqual({ status: 200, body: saved.body });
    const turnedOff = await app.api.put(
      '/api/tenant/data-source/sync-settings',
      { autoSync: false, syncFrequencyMinutes: null },
      { token: tenantAdmin },
    );
    expect(turnedOff.body).toEqual({ autoSync: false, syncFrequencyMinutes: null, nextRunAt: null });
    const audited = await app.sql(
      `SELECT changes FROM audit_log WHERE action = 'data_source.sync_settings' AND target_id = $1 ORDER BY id`,
      [tenantId],
    );
    expect(audited.map((entry) => entry.changes)).toEqual([
      { autoSync: { from: false, to: true }, syncFrequencyMinutes: { from: null, to: 15 } },
      { autoSync: { from: true, to: false }, syncFrequencyMinutes: { from: 15, to: null } },
    ]);
  });

  it('gives a source whose autoSync is due one scheduled run, moves its next run on by its frequency, and drops runs past the history’s retention', async () => {
    expect((await app.api.put(`${base}/sync-settings`, { autoSync: true, syncFrequencyMinutes: 5 }, { token: admin })).status).toBe(200);
    await app.sql(`UPDATE source_syncs SET next_run_at = now() - interval '1 second' WHERE tenant_id = $1`, [tenantId]);
    const [expired] = await app.sql<{ id: string }>(
      `INSERT INTO source_sync_runs (tenant_id, trigger, status, queued_at, finished_at)
       VALUES ($1, 'manual', 'succeeded', now() - interval '31 days', now() - interval '31 days') RETURNING id`,
      [tenantId],
    );
    // What the every-minute schedule runs, called twice as two processes might: the second finds nothing due.
    const schedule = app.app.get(SourceSyncRuns);
    await Promise.all([schedule.enqueueDue(), schedule.enqueueDue()]);
    const scheduled = await app.sql<{ id: string }>(`SELECT id FROM source_sync_runs WHERE tenant_id = $1 AND trigger = 'schedule'`, [
      tenantId,
    ]);
    expect(scheduled).toHaveLength(1);
    expect(await app.sql(`SELECT id FROM source_sync_runs WHERE id = $1`, [expired.id])).toEqual([]);
    expect(await runUntil(scheduled[0].id, (run) => run.status === 'succeeded')).toMatchObject({ trigger: 'schedule' });
    const [next] = await app.sql<{ minutes: number }>(
      `SELECT extract(epoch FROM next_run_at - now()) / 60 AS minutes FROM source_syncs WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(Number(next.minutes)).toBeGreaterThan(4.5);
  });

  it('lists the history newest first in cursor pages, for the tenant admin too, and refuses a forged cursor or page size', async () => {
    const own = await app.api.post('/api/tenant/data-source/sync', undefined, { token: tenantAdmin });
    expect(own.status).toBe(202);
    await runUntil(own.body.id, (run) => run.status === 'succeeded');
    const all = await app.api.get('/api/tenant/data-source/sync/runs?limit=100', { token: tenantAdmin });
    expect(all.body.items[0].id).toBe(own.body.id);
    const pages: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: any = await app.api.get(`${base}/sync/runs?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      pages.push(...page.body.items.map((run: { id: string }) => run.id));
      cursor = page.body.nextCursor;
    }
    expect(pages).toEqual(all.body.items.map((run: { id: string }) => run.id));
    for (const query of ['cursor=forged', 'limit=101', 'limit=0']) {
      const refused = await app.api.get(`${base}/sync/runs?${query}`, { token: admin });
      expect({ query, status: refused.status }).toEqual({ query, status: 400 });
    }
  });

  it('raises the event of a customer row holding a NUL character, which PostgreSQL cannot store, with U+FFFD in its place', async () => {
    // Contacts are no longer mapped (an earlier test): the items are.
    await onLegacyMysql(`INSERT INTO ${DATABASE}.stock VALUES ('S-9', CONCAT('Nul', CHAR(0), 'Label'), 1, 1.00)`);
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', changes: { created: 1, updated: 0, deleted: 0 }, error: null });
    const created = (await syncEvents()).find((event) => event.type === 'inventory_item.created' && event.data.record.id === 'S-9');
    expect(created?.data.record).toMatchObject({ name: 'Nul\ufffdLabel', stockOnHand: 1 });
  });
});
