import { randomUUID } from 'node:crypto';
import { OutboxSweep } from '../src/control-plane/domain-events/outbox-sweep';
import { domainEventsOf } from './support/domain-events';
import { adminToken, tenantAdminSession, unique } from './support/factories';
import { connectToTenantRowsOf } from './support/tenant-database-session';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A data subject's erasure reaches the platform's copies of the tenant's events: the domain event
 * log, webhook payloads and attempt logs (a real local receiver that echoes what it gets), and
 * events still waiting in the tenant's outbox. Two pooled tenants of one pool hold the same person.
 */
describe('data subject erasure of the copies of events', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: string;
  let plan: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_SCHEDULE: '1s' } });
    admin = await adminToken(t.api);
    plan = unique('erasure').toLowerCase().replace(/-/g, '');
    const created = await t.api.post(
      '/control/plans',
      { name: plan, displayName: 'Erasure', modules: ['contacts', 'activities'] },
      { token: admin },
    );
    expect(created.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const sql = <T = any>(text: string, values?: unknown[]) => t.sql<T>(text, values);

  interface Delivery {
    id: string;
    eventId: string;
    eventType: string;
    status: string;
  }

  /** The endpoint's deliveries once all of `count` have succeeded (their attempt logs written). */
  async function deliveredAll(token: string, endpointId: string, count: number): Promise<Delivery[]> {
    for (const deadline = Date.now() + 20_000; ;) {
      const items = (await t.api.get(`/api/webhooks/${endpointId}/deliveries`, { token })).body.items as Delivery[];
      if (items.length >= count && items.every((item) => item.status === 'succeeded')) return items;
      if (Date.now() > deadline) throw new Error(`deliveries not all succeeded: ${JSON.stringify(items)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** What the tenant can read of its delivery log: the list and every delivery with its payload and attempt log. */
  async function deliveryLogOf(token: string, endpointId: string): Promise<string> {
    const list = (await t.api.get(`/api/webhooks/${endpointId}/deliveries`, { token })).body.items as Delivery[];
    const details = await Promise.all(
      list.map(async (item) => (await t.api.get(`/api/webhooks/${endpointId}/deliveries/${item.id}`, { token })).body),
    );
    expect(details.every((detail) => detail.attemptLog.length > 0)).toBe(true);
    return JSON.stringify([list, details]).toLowerCase();
  }

  async function personIn(tenant: { token: string }, email: string, path: string) {
    const endpoint = await t.api.post(
      '/api/webhooks',
      { url: receiver.url(path), eventTypes: ['contact.*', 'activity.*'] },
      { token: tenant.token },
    );
    expect(endpoint.status).toBe(201);
    receiver.always(path, 'echo');
    const contact = await t.api.post('/api/contacts', { firstName: 'Quirinella', lastName: 'Subject', email }, { token: tenant.token });
    expect(contact.status).toBe(201);
    expect((await t.api.patch(`/api/contacts/${contact.body.id}`, { phone: '+49 30 7654321' }, { token: tenant.token })).status).toBe(200);
    const activity = await t.api.post(
      '/api/activities',
      {
        type: 'email',
        subject: `Mail to ${email.toUpperCase()}`,
        body: 'Dear Quirinella',
        relatedType: 'contact',
        relatedId: contact.body.id,
      },
      { token: tenant.token },
    );
    expect(activity.status).toBe(201);
    return {
      endpointId: endpoint.body.id as string,
      contactId: contact.body.id as string,
      deliveries: await deliveredAll(tenant.token, endpoint.body.id, 3),
    };
  }

  it('leaves no trace of the person in the tenant’s event log, delivery log, pending events or replays, and none touched in its pool neighbour', async () => {
    const [one, two] = [await tenantAdminSession(t.api, admin, { plan }), await tenantAdminSession(t.api, admin, { plan })];
    const email = `${unique('quirinella')}@erasure.example`;
    const local = email.split('@')[0].toLowerCase();
    const traces = (text: string) => [local, '7654321', 'quirinella', 'dear'].filter((trace) => text.toLowerCase().includes(trace));
    const first = await personIn(one, email, `/one-${local}`);
    const second = await personIn(two, email, `/two-${local}`);
    expect(traces(await deliveryLogOf(one.token, first.endpointId))).toEqual([local, '7654321', 'quirinella', 'dear']);

    // An event the relay has not taken yet, as a request's transaction leaves it in the outbox.
    const pendingId = randomUUID();
    const rows = await connectToTenantRowsOf(t, one.tenant.id);
    try {
      await rows.query(`INSERT INTO outbox_events (tenant_id, id, type, version, data) VALUES ($1, $2, 'contact.updated', 1, $3)`, [
        one.tenant.id,
        pendingId,
        JSON.stringify({
          record: { id: first.contactId, firstName: 'Quirinella', lastName: 'Subject', email, phone: '+49 30 7654321' },
          changes: { jobTitle: { from: null, to: 'Head of Quirinella' } },
        }),
      ]);
    } finally {
      await rows.end();
    }

    const erased = await t.api.post('/api/tenant/subject-requests', { email, action: 'erase' }, { token: one.token });
    expect(erased.status).toBe(200);
    expect(erased.body.copies.events).toBeGreaterThanOrEqual(3);
    expect(erased.body.copies.webhooks).toBe(3);

    await t.app.get(OutboxSweep).relayTenant(one.tenant.id);
    const events = await domainEventsOf(sql, one.tenant.id);
    expect(events.map((event) => event.id)).toContain(pendingId);
    expect(traces(JSON.stringify(events))).toEqual([]);
    const contactCreated = events.find((event) => event.type === 'contact.created' && event.data.record.id === first.contactId)!;
    expect(contactCreated.data.record).toMatchObject({ id: first.contactId, firstName: 'Erased', lastName: 'Contact', email: null });
    expect(events.find((event) => event.id === pendingId)!.data.changes).toEqual({ erased: true });
    // The pending event went out after the erasure: what it sent and what the log shows hold no trace.
    await deliveredAll(one.token, first.endpointId, 4);
    expect(traces((await receiver.waitFor((hook) => hook.headers['webhook-id'] === pendingId))[0].body)).toEqual([]);
    expect(traces(await deliveryLogOf(one.token, first.endpointId))).toEqual([]);

    const original = first.deliveries.find((delivery) => delivery.eventType === 'contact.created')!;
    const replay = await t.api.post(`/api/webhooks/${first.endpointId}/deliveries/${original.id}/replay`, {}, { token: one.token });
    expect(replay.status).toBe(202);
    const sent = await receiver.waitFor((hook) => hook.headers['webhook-id'] === original.eventId, 2);
    expect(traces(sent[1].body)).toEqual([]);
    expect(JSON.parse(sent[1].body).data.record).toMatchObject({ id: first.contactId, firstName: 'Erased' });

    const [audit] = await t.sql(`SELECT changes FROM audit_log WHERE action = 'tenant.subject_erasure' AND tenant_id = $1`, [
      one.tenant.id,
    ]);
    expect(audit.changes).toEqual({ records: { contact: 1, activity: 1 }, changed: { events: erased.body.copies.events, webhooks: 3 } });
    expect(traces(JSON.stringify(audit.changes))).toEqual([]);

    // The neighbour in the same pool keeps its own copies of the same address.
    expect(traces(JSON.stringify(await domainEventsOf(sql, two.tenant.id)))).toEqual([local, '7654321', 'quirinella', 'dear']);
    expect(traces(await deliveryLogOf(two.token, second.endpointId))).toEqual([local, '7654321', 'quirinella', 'dear']);
  });
});
