import { randomBytes } from 'node:crypto';
import { activeByodTenant } from './support/byod-tenants';
import { lastEventSeq, platformEventsAbout, untilType, waitForDomainEvents } from './support/domain-events';
import { adminToken, tenantAdminSession } from './support/factories';
import { LEGACY_MYSQL, onLegacyMysql } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

/**
 * The whole path of a change to a subscriber, with nothing in between faked: a change over the
 * real API (or behind the product's back in a byod MariaDB, found by a sync) is written to the
 * outbox, relayed to the control plane's event log, turned into a delivery and POSTed, signed,
 * to a real receiver, with the payload the event catalog documents.
 */
const suffix = randomBytes(4).toString('hex');
const BYOD_DATABASE = `webhooks_e2e_${suffix}`;

interface Delivered {
  id: string;
  type: string;
  data: Record<string, any>;
}

describe('webhooks end to end', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: string;
  let catalog: Map<string, { fields: Record<string, string> }>;
  const sql = (text: string, params?: unknown[]) => t.sql(text, params);

  beforeAll(async () => {
    await onLegacyMysql(
      `CREATE DATABASE ${BYOD_DATABASE}; USE ${BYOD_DATABASE};
       CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL);
       INSERT INTO people (first, last) VALUES ('Ada', 'Lovelace');`,
    );
    receiver = await WebhookReceiver.start();
    t = await startTestApp({
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_SCHEDULE: '1s', BYOD_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    admin = await adminToken(t.api);
    await endpoint(admin, '/platform', ['tenant.*'], '/control/webhooks');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await onLegacyMysql(`DROP DATABASE IF EXISTS ${BYOD_DATABASE}`);
  });

  async function endpoint(token: string, path: string, eventTypes: string[], base = '/api/webhooks'): Promise<void> {
    const created = await t.api.post(base, { url: receiver.url(path), eventTypes }, { token });
    expect(created.status).toBe(201);
    receiver.trust(path, created.body.secret);
  }

  /** An enterprise tenant of `placement` with invoicing on, and its catalog (read once). */
  async function session(placement: string) {
    const { tenant, token } = await tenantAdminSession(t.api, admin, { placement, plan: 'enterprise' });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR', address: '1 Harbour Street, Hamburg' }, { token });
    expect((await t.api.put('/api/tenant/modules/invoices', undefined, { token })).status).toBe(200);
    if (!catalog) {
      const listed = await t.api.get('/api/domain-events/catalog', { token });
      catalog = new Map(listed.body.map((entry: { type: string; fields: Record<string, string> }) => [entry.type, entry]));
    }
    return { tenantId: tenant.id, token };
  }

  /** Waits for `count` webhooks at `path`, each checked to verify with its secret; returns them as events. */
  async function deliveredAt(path: string, count: number): Promise<Delivered[]> {
    const hooks = await receiver.waitFor((hook) => hook.path === path, count);
    return hooks.map((hook: ReceivedWebhook) => {
      expect(hook.verifiedWith).toEqual([0]);
      const body = JSON.parse(hook.body);
      return { id: String(hook.headers['webhook-id']), type: body.type, data: body.data };
    });
  }

  /** The payload is what the catalog documents: `data.record` plus the type's declared fields, nothing else. */
  function expectCatalogShape(delivered: Delivered, extraFields: string[] = []): void {
    const declared = catalog.get(delivered.type);
    expect(declared).toBeDefined();
    expect(Object.keys(delivered.data).sort()).toEqual(['record', ...Object.keys(declared!.fields), ...extraFields].sort());
  }

  it.each(['pooled', 'dedicated'])(
    'delivers a %s tenant’s contact changes and its paid invoice, signed, as the API returned the records and the log recorded them',
    async (placement) => {
      const { tenantId, token } = await session(placement);
      const path = `/${placement}`;
      await endpoint(token, path, ['contact.*', 'invoice.paid']);

      const created = await t.api.post('/api/contacts', { firstName: 'Grace', lastName: 'Hopper' }, { token });
      const updated = await t.api.patch(`/api/contacts/${created.body.id}`, { lastName: 'Murray Hopper' }, { token });
      expect((await t.api.delete(`/api/contacts/${created.body.id}`, { token })).status).toBe(204);
      const invoice = await t.api.post(
        '/api/invoices',
        { lines: [{ description: 'Consulting', quantity: '1', unitPriceMinor: 9_900, taxRate: '0' }] },
        { token },
      );
      expect((await t.api.post(`/api/invoices/${invoice.body.id}/status`, { status: 'sent' }, { token })).status).toBe(200);
      const paid = await t.api.post(
        `/api/invoices/${invoice.body.id}/payments`,
        { amountMinor: 9_900, method: 'bank_transfer' },
        { token },
      );
      expect(paid.status).toBe(201);

      const delivered = await deliveredAt(path, 4);
      const byType = Object.fromEntries(delivered.map((event) => [event.type, event]));
      expect(Object.keys(byType).sort()).toEqual(['contact.created', 'contact.deleted', 'contact.updated', 'invoice.paid']);
      expect(byType['contact.created'].data).toEqual({ record: created.body });
      expect(byType['contact.updated'].data).toEqual({
        record: updated.body,
        changes: { lastName: { from: 'Hopper', to: 'Murray Hopper' } },
      });
      expect(byType['contact.deleted'].data.record).toMatchObject({ id: created.body.id });
      expect(byType['invoice.paid'].data).toEqual({ record: paid.body });
      for (const event of delivered) expectCatalogShape(event);

      // Each webhook-id is the id of the event in the log, and carries exactly the data recorded there.
      const logged = await waitForDomainEvents(sql, tenantId, { done: untilType('invoice.paid') });
      const loggedById = new Map(logged.map((event) => [event.id, event]));
      for (const event of delivered) expect(loggedById.get(event.id)).toMatchObject({ type: event.type, data: event.data });
    },
  );

  it('sends nothing for a change that rolled back', async () => {
    const { tenantId, token } = await session('pooled');
    const inStock = await t.api.post('/api/inventory/items', { sku: 'IN', name: 'In', priceSellingMinor: 500, initialStock: 5 }, { token });
    const outOfStock = await t.api.post('/api/inventory/items', { sku: 'OUT', name: 'Out', priceSellingMinor: 500 }, { token });
    const line = (itemId: string) => ({ itemId, description: 'x', quantity: '1', unitPriceMinor: 500, taxRate: '0' });
    const invoice = await t.api.post('/api/invoices', { lines: [line(inStock.body.id), line(outOfStock.body.id)] }, { token });
    // Subscribed only once the set-up's own events are in the log, so none of them is delivered.
    await waitForDomainEvents(sql, tenantId, { done: untilType('invoice.created') });
    await endpoint(token, '/rolled-back', ['*']);

    // Sending moves the first line's stock (an outbox row written), then refuses the second line: all of it rolls back.
    expect((await t.api.post(`/api/invoices/${invoice.body.id}/status`, { status: 'sent' }, { token })).status).toBe(409);
    const sentinel = await t.api.post('/api/accounts', { name: 'Sentinel' }, { token });

    // The tenant's events are relayed in order: once the later change arrived, the rolled-back one never will.
    const [delivered] = await deliveredAt('/rolled-back', 1);
    expect(delivered).toMatchObject({ type: 'account.created', data: { record: sentinel.body } });
    expect(receiver.at('/rolled-back')).toHaveLength(1);
  });

  it('delivers a row inserted straight into a byod MariaDB source once "sync now" found it', async () => {
    const { tenant, token, base } = await activeByodTenant(t.api, admin, {
      settings: {
        kind: 'mysql',
        connection: { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: BYOD_DATABASE, user: LEGACY_MYSQL.user, password: '' },
      },
      entities: { contact: { table: 'people', fields: { id: 'id', first_name: 'first', last_name: 'last' } } },
    });
    await endpoint(token, '/byod', ['contact.*']);
    const syncNow = async () => {
      const answer = await t.api.post(`${base}/sync`, undefined, { token: admin });
      expect(answer.status).toBe(202);
      for (const deadline = Date.now() + 15_000; ;) {
        const runs = await t.api.get(`${base}/sync/runs?limit=100`, { token: admin });
        const run = runs.body.items.find((item: { id: string }) => item.id === answer.body.id);
        if (run?.status === 'succeeded') return run;
        if (Date.now() > deadline) throw new Error(`sync run still ${JSON.stringify(run)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    expect(await syncNow()).toMatchObject({ baseline: true });

    await onLegacyMysql(`INSERT INTO ${BYOD_DATABASE}.people (id, first, last) VALUES (7, 'Hedy', 'Lamarr')`);
    expect(await syncNow()).toMatchObject({ changes: { created: 1, updated: 0, deleted: 0 } });

    const [delivered] = await deliveredAt('/byod', 1);
    expect(delivered).toMatchObject({ type: 'contact.created', data: { origin: 'source_sync', record: { id: '7', firstName: 'Hedy' } } });
    expectCatalogShape(delivered, ['origin']);
    const logged = await waitForDomainEvents(sql, tenant.id, { done: untilType('contact.created') });
    expect(logged.find((event) => event.type === 'contact.created')?.id).toBe(delivered.id);
  });

  it('tells the platform’s endpoint that a tenant was provisioned, and no tenant endpoint', async () => {
    const mark = await lastEventSeq(sql);
    const { tenantId } = await session('pooled');
    const [provisioned] = await platformEventsAbout(sql, tenantId, mark);
    const hooks = await receiver.waitFor((hook) => hook.headers['webhook-id'] === provisioned.id);
    expect(hooks.map((hook) => hook.path)).toEqual(['/platform']);
    expect(hooks[0].verifiedWith).toEqual([0]);
    expect(JSON.parse(hooks[0].body)).toMatchObject({
      type: 'tenant.provisioned',
      data: { tenant: { id: tenantId, status: 'active', placement: 'pooled' } },
    });
  });
});
