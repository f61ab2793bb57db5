import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { adminToken, registerTenant, tenantAdminSession, waitForProvisioning } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { LEGACY_MYSQL, onLegacyPostgres } from './support/legacy-databases';
import { startTcpRelay } from './support/tcp-relay';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

const suffix = randomBytes(4).toString('hex');
const LIMITED_ROLE = `alerts_limited_${suffix}`;
const LIMITED_PASSWORD = `limited-${suffix}`;
const legacy = `alerts_src_${suffix}`;
const BREAKER = { BYOD_BREAKER_RESET_MS: '500', BYOD_BREAKER_ALERT_AFTER_MS: '400', BYOD_CONNECT_TIMEOUT_MS: '1000' };

interface AlertBody {
  id: string;
  kind: string;
  subject: string;
  message: string;
  occurrences: number;
  resolvedAt: string | null;
}

/** Platform admins are told what needs them: in the alert log (GET /control/alerts) and, once per open alert, by e-mail. */
describe('alerts to platform admins', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection({ ...LEGACY_MYSQL, multipleStatements: true });
    await mysql.query(
      `CREATE DATABASE ${legacy}; CREATE TABLE ${legacy}.goods (code varchar(32) PRIMARY KEY, title varchar(100) NOT NULL, qty integer NOT NULL, cents integer NOT NULL)`,
    );
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE ROLE ${LIMITED_ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${LIMITED_PASSWORD}'`);
    t = await startTestApp({
      env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', PROVISIONING_RETRY_LIMIT: '1', PROVISIONING_RETRY_DELAY_SECONDS: '1', ...BREAKER },
    });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${LIMITED_ROLE}`);
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacy}`);
    await mysql.end();
  });

  async function openAlerts(): Promise<AlertBody[]> {
    return (await t.api.get('/control/alerts?open=true', { token: admin })).body as AlertBody[];
  }

  async function untilAlert(match: (alert: AlertBody) => boolean, timeoutMs = 10_000): Promise<AlertBody | undefined> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      const found = (await openAlerts()).find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }

  it('raises and mails a provisioning that failed for good; a resolved alert leaves the open list', async () => {
    const server = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
    const registered = await t.api.post(
      '/control/database-servers',
      {
        name: `no-createdb-${suffix}`,
        host: server.hostname,
        port: Number(server.port || 5432),
        adminUser: LIMITED_ROLE,
        adminPassword: LIMITED_PASSWORD,
        maxDatabases: 5,
      },
      { token: admin },
    );
    expect(registered.status).toBe(201);
    await onLegacyPostgres('postgres', `ALTER ROLE ${LIMITED_ROLE} NOCREATEDB`);
    const { tenant } = await registerTenant(t.api, admin, { placement: 'dedicated', databaseServerId: registered.body.id });
    expect((await waitForProvisioning(t.api, admin, tenant.id)).status).toBe('failed');

    const alert = await untilAlert((candidate) => candidate.kind === 'provisioning_failed' && candidate.subject === tenant.id);
    expect(alert?.message).toMatch(new RegExp(`Provisioning of tenant "${tenant.slug}" failed for good: database: permission denied`));
    const mail = await t.mailbox.take(TEST_ADMIN.email, /Tenantry alert: provisioning failed/);
    expect(mail.text).toContain(tenant.slug);

    const resolved = await t.api.post(`/control/alerts/${alert!.id}/resolve`, undefined, { token: admin });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolvedAt).not.toBeNull();
    expect((await openAlerts()).map((open) => open.id)).not.toContain(alert!.id);
  }, 60_000);

  it('raises an alert once a byod source’s breaker stays open, and resolves it when the source answers again', async () => {
    const relay = await startTcpRelay(LEGACY_MYSQL.host, LEGACY_MYSQL.port);
    const connection = { host: '127.0.0.1', port: relay.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    const mapping = { table: 'goods', fields: { sku: 'code', name: 'title', stock_on_hand: 'qty', price_selling_minor: 'cents' } };
    const { tenant, token } = await activeByodTenant(t.api, admin, {
      settings: { kind: 'mysql', connection },
      entities: { inventory_item: mapping },
    });
    expect((await t.api.get('/api/inventory/items', { token })).status).toBe(200);

    await relay.down();
    for (let i = 0; i < 4; i += 1) expect((await t.api.get('/api/inventory/items', { token })).status).toBe(503);
    const alert = await untilAlert((candidate) => candidate.kind === 'byod_breaker_open' && candidate.subject === tenant.id);
    expect(alert?.message).toContain(`tenant "${tenant.slug}"`);

    await relay.up();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await t.api.get('/api/inventory/items', { token })).status).toBe(200);
    await untilGone(alert!.id);
    await relay.down();
  }, 60_000);

  it('raises an alert when a tenant reaches 90% of its contact quota', async () => {
    await t.sql(`UPDATE plans SET max_contacts = 10 WHERE name = 'starter'`);
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: 'starter' });
    for (let i = 0; i < 8; i += 1)
      expect((await t.api.post('/api/contacts', { firstName: 'C', lastName: `${i}` }, { token })).status).toBe(201);
    expect((await openAlerts()).some((alert) => alert.subject === `${tenant.id} maxContacts`)).toBe(false);
    expect((await t.api.post('/api/contacts', { firstName: 'C', lastName: 'ninth' }, { token })).status).toBe(201);
    const alert = await untilAlert(
      (candidate) => candidate.kind === 'quota_nearly_reached' && candidate.subject === `${tenant.id} maxContacts`,
    );
    expect(alert?.message).toBe('A tenant on the Starter plan uses 9 of its 10 maxContacts (90%)');
    expect((await t.api.post('/api/contacts', { firstName: 'C', lastName: 'tenth' }, { token })).status).toBe(201);
    expect((await untilAlert((candidate) => candidate.id === alert!.id && candidate.occurrences === 2))?.message).toContain('10 of its 10');
  });

  it('lets only platform admins read and resolve alerts, and refuses ids that are no alert number', async () => {
    const { token } = await tenantAdminSession(t.api, admin);
    expect((await t.api.get('/control/alerts', { token })).status).toBe(403);
    expect((await t.api.post('/control/alerts/1/resolve', undefined, { token })).status).toBe(403);
    expect((await t.api.post("/control/alerts/1'%20OR%201=1/resolve", undefined, { token: admin })).status).toBe(400);
    expect((await t.api.post('/control/alerts/999999999/resolve', undefined, { token: admin })).status).toBe(404);
    expect((await t.api.get('/control/alerts?open=maybe', { token: admin })).status).toBe(400);
  });

  async function untilGone(id: string): Promise<void> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      if (!(await openAlerts()).some((alert) => alert.id === id)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`alert ${id} is still open`);
  }
});
