import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainEventLog } from '../src/control-plane/domain-events/domain-event-log';
import { WebhookLogRetention } from '../src/control-plane/webhooks/webhook-log-retention';
import { adminToken, loginAs, tenantAdminSession, tenantWithUsers } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

/** Hanging endpoints are cut off after this; long enough that a fast endpoint's delivery lands while one hangs. */
const TIMEOUT_MS = 4_000;

/**
 * Signed webhooks (Standard Webhooks) of tenants and of the platform, against a real local receiver
 * that verifies signatures with the standardwebhooks package. Events are recorded through the
 * control plane's DomainEventLog, as the producers do.
 */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: string;
  let tenantA: { id: string; token: string; memberToken: string; adminEmail: string };
  let tenantB: { id: string; token: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        WEBHOOK_RETRY_SCHEDULE: '1s,1s',
        WEBHOOK_DELIVERY_CONCURRENCY: '4',
        WEBHOOK_ENDPOINT_CONCURRENCY: '1',
      },
    });
    admin = await adminToken(t.api);
    const [a, b] = await Promise.all([tenantWithUsers(t.api, admin), tenantAdminSession(t.api, admin)]);
    const [aToken, memberToken] = await Promise.all([
      loginAs(t.api, a.admin.email, a.admin.password, a.tenant.slug),
      loginAs(t.api, a.member.email, a.member.password, a.tenant.slug),
    ]);
    tenantA = { id: a.tenant.id, token: aToken.accessToken, memberToken: memberToken.accessToken, adminEmail: a.admin.email };
    tenantB = { id: b.tenant.id, token: b.token };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Records events as a producer does: in a control-plane transaction, through DomainEventLog. */
  async function emit(tenantId: string | null, type: string, data: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await t.app
      .get(DataSource)
      .transaction((manager) =>
        t.app.get(DomainEventLog).record(manager, [{ id, tenantId, type, version: 1, occurredAt: new Date(), data }]),
      );
    return id;
  }

  /** Creates an endpoint at `path` of the receiver, which then checks its signatures with the endpoint's secret. */
  async function endpoint(token: string, path: string, eventTypes: string[], base = '/api/webhooks') {
    const created = await t.api.post(base, { url: receiver.url(path), eventTypes, description: path }, { token });
    expect(created.status).toBe(201);
    receiver.trust(path, created.body.secret);
    return created.body as { id: string; secret: string };
  }

  async function untilDelivery(token: string, endpointId: string, deliveryId: string, status: string, base = '/api/webhooks') {
    for (const deadline = Date.now() + 20_000; ;) {
      const delivery = await t.api.get(`${base}/${endpointId}/deliveries/${deliveryId}`, { token });
      if (delivery.body.status === status) return delivery.body;
      if (Date.now() > deadline) throw new Error(`delivery still ${delivery.body.status}: ${JSON.stringify(delivery.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function deliveriesOf(token: string, endpointId: string, query = '') {
    const page = await t.api.get(`/api/webhooks/${endpointId}/deliveries${query}`, { token });
    expect(page.status).toBe(200);
    return page.body.items as Array<{ id: string; eventId: string; eventType: string; status: string; replayOf: string | null }>;
  }

  const withId = (id: string) => (hook: ReceivedWebhook) => hook.headers['webhook-id'] === id;

  it('creates, lists, changes and deletes endpoints, showing the secret only once and only to holders of webhooks.*', async () => {
    const created = await t.api.post(
      '/api/webhooks',
      { url: receiver.url('/crud'), eventTypes: ['invoice.*', 'deal.stage_changed'], description: 'Accounting' },
      { token: tenantA.token },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiver.url('/crud'), eventTypes: ['invoice.*', 'deal.stage_changed'], enabled: true });
    expect(created.body.secret).toMatch(/^whsec_/);
    const [stored] = await t.sql('SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1', [created.body.id]);
    expect(stored.secret_encrypted).not.toContain(created.body.secret.slice(6));

    const listed = await t.api.get('/api/webhooks', { token: tenantA.token });
    expect(listed.body.map((e: { id: string }) => e.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const changed = await t.api.patch(`/api/webhooks/${created.body.id}`, { enabled: false, eventTypes: ['*'] }, { token: tenantA.token });
    expect(changed.body).toMatchObject({ enabled: false, eventTypes: ['*'], description: 'Accounting' });

    expect((await t.api.get('/api/webhooks', { token: tenantA.memberToken })).status).toBe(403);
    expect((await t.api.post('/api/webhooks', { url: receiver.url('/m'), eventTypes: ['*'] }, { token: tenantA.memberToken })).status).toBe(
      403,
    );

    expect((await t.api.delete(`/api/webhooks/${created.body.id}`, { token: tenantA.token })).status).toBe(204);
    expect((await t.api.get(`/api/webhooks/${created.body.id}`, { token: tenantA.token })).status).toBe(404);
  });

  it('refuses bad filters, bad URLs, internal addresses and unknown fields with a 400 naming the field, storing nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS count FROM webhook_endpoints');
    const refused = async (body: Record<string, unknown>, field: string) => {
      const response = await t.api.post('/api/webhooks', { url: receiver.url('/x'), eventTypes: ['*'], ...body }, { token: tenantA.token });
      expect(response.status).toBe(400);
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    };
    await refused({ eventTypes: ['invoice'] }, 'eventTypes');
    await refused({ eventTypes: ['*.paid'] }, 'eventTypes');
    await refused({ eventTypes: [] }, 'eventTypes');
    await refused({ eventTypes: ['invoice.*', 'invoice.exploded'] }, 'eventTypes');
    await refused({ eventTypes: ['invoicing.*'] }, 'eventTypes');
    // The platform's own events (tenant.*) reach platform endpoints only: no tenant endpoint would ever receive one.
    await refused({ eventTypes: ['tenant.*'] }, 'eventTypes');
    await refused({ eventTypes: ['tenant.suspended'] }, 'eventTypes');
    const unknown = await t.api.post(
      '/api/webhooks',
      { url: receiver.url('/x'), eventTypes: ['invoice.exploded'] },
      { token: tenantA.token },
    );
    expect(unknown.body.message).toContain('invoice.exploded');
    const existing = await endpoint(tenantA.token, '/filters', ['*']);
    expect((await t.api.patch(`/api/webhooks/${existing.id}`, { eventTypes: ['deal.exploded'] }, { token: tenantA.token })).status).toBe(
      400,
    );
    expect((await t.api.get(`/api/webhooks/${existing.id}`, { token: tenantA.token })).body.eventTypes).toEqual(['*']);
    await t.api.delete(`/api/webhooks/${existing.id}`, { token: tenantA.token });
    await refused({ url: 'ftp://example.com/hook' }, 'url');
    await refused({ url: 'not a url' }, 'url');
    await refused({ url: 'http://169.254.169.254/latest/meta-data' }, 'url');
    await refused({ url: 'http://[::ffff:169.254.169.254]/' }, 'url');
    await refused({ url: 'http://0.0.0.0:9/' }, 'url');
    await refused({ url: `http://user:pass@127.0.0.1:9/` }, 'url');
    await refused({ secret: 'whsec_mine' }, 'secret');
    await refused({ url: `${receiver.url('/x')}\u0001y\u007f` }, 'url');
    expect(await t.sql('SELECT count(*)::int AS count FROM webhook_endpoints')).toEqual(before);
  });

  it('refuses replay ranges and cursors that are no date-time with a 400 naming the field, before the database sees them', async () => {
    const hook = await endpoint(tenantA.token, '/bad-dates', ['*']);
    const until = '2100-01-01T00:00:00Z';
    for (const since of ['2024-W01', '20240101', '2024-01-01T10', '2024-01-01T10:00:00,5Z', '-2030-01-01T00:00:00Z', '2024-01-01T10:00']) {
      const replay = await t.api.post(`/api/webhooks/${hook.id}/replay`, { since, until }, { token: tenantA.token });
      expect({ since, status: replay.status }).toEqual({ since, status: 400 });
      expect(replay.body.details.map((detail: { field: string }) => detail.field)).toEqual(['since']);
    }
    const cursor = Buffer.from(JSON.stringify(['2024-W01', hook.id])).toString('base64url');
    const page = await t.api.get(`/api/webhooks/${hook.id}/deliveries?cursor=${cursor}`, { token: tenantA.token });
    expect(page.status).toBe(400);
    expect(page.body.details.map((detail: { field: string }) => detail.field)).toEqual(['cursor']);
    await t.api.delete(`/api/webhooks/${hook.id}`, { token: tenantA.token });
  });

  it('changes only what a PATCH changes: a description sent as null is cleared, and re-stating enabled keeps the failure record', async () => {
    const hook = await endpoint(tenantA.token, '/restated', ['*']);
    const patch = (body: Record<string, unknown>) => t.api.patch(`/api/webhooks/${hook.id}`, body, { token: tenantA.token });
    expect((await patch({ description: null })).body.description).toBe('');

    // An endpoint failing for days stays on its way to being disabled, however often a client says it is enabled.
    await t.sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '4 days' WHERE id = $1`, [hook.id]);
    expect((await patch({ enabled: true })).body.failingSince).toEqual(expect.any(String));
    // Saying a disabled endpoint is disabled keeps why it was; enabling it starts afresh.
    await t.sql(`UPDATE webhook_endpoints SET enabled = false, disabled_at = now(), disabled_reason = 'failed for 5 days' WHERE id = $1`, [
      hook.id,
    ]);
    expect((await patch({ enabled: false })).body).toMatchObject({ enabled: false, disabledReason: 'failed for 5 days' });
    expect((await patch({ enabled: true })).body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await t.api.delete(`/api/webhooks/${hook.id}`, { token: tenantA.token });
  });

  it('keeps the old secret for the default overlap when a rotation sends overlapHours as null', async () => {
    const hook = await endpoint(tenantA.token, '/null-overlap', ['*']);
    const rotated = await t.api.post(`/api/webhooks/${hook.id}/rotate-secret`, { overlapHours: null }, { token: tenantA.token });
    expect(rotated.status).toBe(200);
    const hours = (Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    await t.api.delete(`/api/webhooks/${hook.id}`, { token: tenantA.token });
  });

  it("keeps tenants apart: B neither sees nor touches A's endpoint (404) and A's endpoint gets none of B's events", async () => {
    const a = await endpoint(tenantA.token, '/isolation-a', ['contact.*']);
    expect((await t.api.get(`/api/webhooks/${a.id}`, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.patch(`/api/webhooks/${a.id}`, { enabled: false }, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.get(`/api/webhooks/${a.id}/deliveries`, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.post(`/api/webhooks/${a.id}/test`, undefined, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.post(`/api/webhooks/${a.id}/rotate-secret`, {}, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.delete(`/api/webhooks/${a.id}`, { token: tenantB.token })).status).toBe(404);
    expect((await t.api.get('/api/webhooks', { token: tenantB.token })).body).toEqual([]);

    await emit(tenantB.id, 'contact.created');
    const own = await emit(tenantA.id, 'contact.created');
    await receiver.waitFor(withId(own));
    expect(receiver.at('/isolation-a').map((hook) => hook.headers['webhook-id'])).toEqual([own]);
  });

  it('delivers matching events signed per Standard Webhooks: webhook-id is the event id, body { type, timestamp, data }', async () => {
    const hook = await endpoint(tenantA.token, '/signed', ['invoice.*']);
    await emit(tenantA.id, 'contact.created');
    const eventId = await emit(tenantA.id, 'invoice.paid', { invoiceId: 'inv-1', amountMinor: 1250 });

    const [received] = await receiver.waitFor(withId(eventId));
    expect(received.verifiedWith).toEqual([0]);
    expect(JSON.parse(received.body)).toEqual({
      type: 'invoice.paid',
      timestamp: expect.any(String),
      data: { invoiceId: 'inv-1', amountMinor: 1250 },
    });
    expect(Number(received.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
    const deliveries = await deliveriesOf(tenantA.token, hook.id);
    expect(deliveries.map((delivery) => delivery.eventType)).toEqual(['invoice.paid']);
  });

  it('signs with both secrets during a rotation’s overlap, and with the new one alone once there is none', async () => {
    const hook = await endpoint(tenantA.token, '/rotation', ['deal.*']);
    const rotated = await t.api.post(`/api/webhooks/${hook.id}/rotate-secret`, { overlapHours: 1 }, { token: tenantA.token });
    expect(rotated.status).toBe(200);
    expect(Date.parse(rotated.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 59 * 60_000);
    receiver.trust('/rotation', hook.secret, rotated.body.secret);

    const during = await emit(tenantA.id, 'deal.won');
    const [overlapping] = await receiver.waitFor(withId(during));
    expect(overlapping.verifiedWith).toEqual([0, 1]);
    expect(String(overlapping.headers['webhook-signature']).split(' ')).toHaveLength(2);

    const again = await t.api.post(`/api/webhooks/${hook.id}/rotate-secret`, { overlapHours: 0 }, { token: tenantA.token });
    receiver.trust('/rotation', hook.secret, rotated.body.secret, again.body.secret);
    const after = await emit(tenantA.id, 'deal.lost');
    const [single] = await receiver.waitFor(withId(after));
    expect(single.verifiedWith).toEqual([2]);
  });

  it('retries a failing endpoint with the same webhook-id until it succeeds, logging every attempt', async () => {
    const hook = await endpoint(tenantA.token, '/flaky', ['invoice.*']);
    receiver.plan('/flaky', { status: 500 }, { status: 503 });
    const eventId = await emit(tenantA.id, 'invoice.sent');

    const received = await receiver.waitFor(withId(eventId), 3);
    expect(received.every((hook) => hook.verifiedWith.length === 1)).toBe(true);
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    const detail = await untilDelivery(tenantA.token, hook.id, delivery.id, 'succeeded');
    expect(detail.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([500, 503, 200]);
    expect(detail.attemptLog[0]).toMatchObject({ attempt: 1, responseExcerpt: 'answered 500', error: null });
    expect(detail.attempts).toBe(3);
  });

  it('dead-letters a delivery after the last try, treating a redirect as a failure it does not follow', async () => {
    const hook = await endpoint(tenantA.token, '/gone', ['invoice.*']);
    receiver.always('/gone', 'redirect');
    const eventId = await emit(tenantA.id, 'invoice.voided');

    await receiver.waitFor(withId(eventId), 3);
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    const detail = await untilDelivery(tenantA.token, hook.id, delivery.id, 'dead');
    expect(detail.attemptLog).toHaveLength(3);
    expect((await deliveriesOf(tenantA.token, hook.id, '?status=dead')).map((dead) => dead.eventId)).toEqual([eventId]);
    expect(detail.attemptLog[2].error).toMatch(/redirect/);
    expect(receiver.at('/gone/redirected')).toEqual([]);
    expect(await deliveriesOf(tenantA.token, hook.id, '?status=pending')).toEqual([]);

    // Past WEBHOOK_LOG_RETENTION_DAYS the daily job deletes it and its attempts, and nothing younger.
    await t.sql(`UPDATE webhook_deliveries SET finished_at = now() - interval '31 days' WHERE id = $1`, [delivery.id]);
    expect(await t.app.get(WebhookLogRetention).purge()).toBe(1);
    expect((await t.api.get(`/api/webhooks/${hook.id}/deliveries/${delivery.id}`, { token: tenantA.token })).status).toBe(404);
    expect(await t.sql('SELECT count(*)::int AS count FROM webhook_delivery_attempts WHERE delivery_id = $1', [delivery.id])).toEqual([
      { count: 0 },
    ]);
  });

  it('dead-letters, without sending it, a delivery whose every attempt ended with the process making it', async () => {
    const hook = await endpoint(tenantA.token, '/crashed', ['invoice.*']);
    const deliveryId = randomUUID();
    // Three attempts (the schedule's two retries and the first) claimed by processes that died before recording them.
    await t.sql(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, attempts, attempt_token, next_attempt_at)
       VALUES ($1, $2, gen_random_uuid(), 'invoice.sent', '{"type":"invoice.sent","timestamp":"2026-01-01T00:00:00.000Z","data":{}}', 3, 3, now())`,
      [deliveryId, hook.id],
    );

    const detail = await untilDelivery(tenantA.token, hook.id, deliveryId, 'dead');

    expect(detail.attemptLog).toEqual([]);
    expect(receiver.at('/crashed')).toEqual([]);
  });

  it('reads only the first KiB of a huge answer and cuts the connection', async () => {
    const hook = await endpoint(tenantA.token, '/huge', ['note.*']);
    receiver.plan('/huge', 'huge');
    const eventId = await emit(tenantA.id, 'note.created');
    await receiver.waitFor(withId(eventId));
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    const detail = await untilDelivery(tenantA.token, hook.id, delivery.id, 'succeeded');
    expect(detail.attemptLog[0].responseExcerpt).toHaveLength(1024);
  });

  it('logs answers holding NUL characters without them, the failure retried and the success recorded', async () => {
    const hook = await endpoint(tenantA.token, '/nul', ['note.*']);
    receiver.plan('/nul', { status: 500, body: 'down\0for now' }, { status: 200, body: 'ok\0' });
    const eventId = await emit(tenantA.id, 'note.updated');

    await receiver.waitFor(withId(eventId), 2);
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    const detail = await untilDelivery(tenantA.token, hook.id, delivery.id, 'succeeded');
    expect(
      detail.attemptLog.map(({ statusCode, responseExcerpt }: { statusCode: number; responseExcerpt: string }) => [
        statusCode,
        responseExcerpt,
      ]),
    ).toEqual([
      [500, 'downfor now'],
      [200, 'ok'],
    ]);
  });

  it('delivers to a healthy endpoint while another endpoint hangs on its deliveries', async () => {
    const stuck = await endpoint(tenantA.token, '/hanging', ['activity.*']);
    await endpoint(tenantA.token, '/healthy', ['account.*']);
    receiver.always('/hanging', 'hang');
    for (let i = 0; i < 3; i += 1) await emit(tenantA.id, 'activity.created');
    await receiver.waitFor((hook) => hook.path === '/hanging');

    const emittedAt = Date.now();
    const eventId = await emit(tenantA.id, 'account.created');
    const [healthy] = await receiver.waitFor(withId(eventId));
    // Not queued behind the hanging endpoint: delivered sooner than one of its attempts can end, while one is still open.
    expect(healthy.receivedAt - emittedAt).toBeLessThan(TIMEOUT_MS);
    expect(receiver.hangingAt('/hanging')).toBeGreaterThanOrEqual(1);
    await t.api.delete(`/api/webhooks/${stuck.id}`, { token: tenantA.token });
  });

  it('replays one delivery and a time range with the original webhook-ids, and test-sends a webhook.test event', async () => {
    const hook = await endpoint(tenantA.token, '/replay', ['inventory.*']);
    const since = new Date(Date.now() - 1_000).toISOString();
    const first = await emit(tenantA.id, 'inventory.stock_changed', { sku: 'A' });
    const second = await emit(tenantA.id, 'inventory.stock_changed', { sku: 'B' });
    await emit(tenantA.id, 'contact.created');
    await receiver.waitFor((hook) => hook.path === '/replay', 2);
    const until = new Date(Date.now() + 1_000).toISOString();

    const original = (await deliveriesOf(tenantA.token, hook.id)).find((delivery) => delivery.eventId === first)!;
    const replayed = await t.api.post(`/api/webhooks/${hook.id}/deliveries/${original.id}/replay`, undefined, { token: tenantA.token });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ eventId: first, replayOf: original.id });
    await receiver.waitFor(withId(first), 2);

    const range = await t.api.post(`/api/webhooks/${hook.id}/replay`, { since, until }, { token: tenantA.token });
    expect(range.status).toBe(202);
    expect(range.body).toEqual({ replayed: 2 });
    await receiver.waitFor(withId(first), 3);
    await receiver.waitFor(withId(second), 2);
    expect((await t.api.post(`/api/webhooks/${hook.id}/replay`, { since: until, until: since }, { token: tenantA.token })).status).toBe(
      400,
    );

    const test = await t.api.post(`/api/webhooks/${hook.id}/test`, undefined, { token: tenantA.token });
    expect(test.status).toBe(202);
    const [sent] = await receiver.waitFor(withId(test.body.eventId));
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'webhook.test' });
    expect(sent.verifiedWith).toEqual([0]);

    // The log, newest first, in pages: 2 originals, 1 replay, 2 range replays, 1 test-send.
    const firstPage = await t.api.get(`/api/webhooks/${hook.id}/deliveries?limit=4`, { token: tenantA.token });
    const secondPage = await t.api.get(`/api/webhooks/${hook.id}/deliveries?limit=4&cursor=${firstPage.body.nextCursor}`, {
      token: tenantA.token,
    });
    const paged = [...firstPage.body.items, ...secondPage.body.items] as Array<{ id: string; eventType: string }>;
    expect(paged.map((delivery) => delivery.eventType)).toEqual(['webhook.test', ...Array(5).fill('inventory.stock_changed')]);
    expect(new Set(paged.map((delivery) => delivery.id)).size).toBe(6);
    expect(secondPage.body.nextCursor).toBeNull();
    expect(await deliveriesOf(tenantA.token, hook.id, '?eventType=webhook.test')).toHaveLength(1);
    expect((await t.api.get(`/api/webhooks/${hook.id}/deliveries?cursor=bm90LWEtY3Vyc29y`, { token: tenantA.token })).status).toBe(400);
  });

  it('refuses a range replay that would leave more than 10,000 deliveries waiting for the endpoint with a 409, queuing nothing', async () => {
    const hook = await endpoint(tenantA.token, '/backlog', ['note.*']);
    const since = new Date(Date.now() - 1_000).toISOString();
    const eventId = await emit(tenantA.id, 'note.created');
    await receiver.waitFor(withId(eventId));
    const until = new Date(Date.now() + 1_000).toISOString();
    // A backlog the receiver has not taken yet (due tomorrow, so no worker makes them meanwhile).
    await t.sql(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, next_attempt_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid(), 'note.created', '{}', now() + interval '1 day' FROM generate_series(1, 10000)`,
      [hook.id],
    );
    const refused = await t.api.post(`/api/webhooks/${hook.id}/replay`, { since, until }, { token: tenantA.token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('10000 deliveries to this endpoint are still waiting');
    const [{ waiting }] = await t.sql(
      `SELECT count(*)::int AS waiting FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
      [hook.id],
    );
    expect(waiting).toBe(10_000);
    await t.api.delete(`/api/webhooks/${hook.id}`, { token: tenantA.token });
  });

  it('ends the deliveries of an endpoint disabled while they wait for a retry, and refuses tests and replays to it with a 409', async () => {
    const hook = await endpoint(tenantA.token, '/paused', ['deal.*']);
    receiver.always('/paused', { status: 500 });
    const eventId = await emit(tenantA.id, 'deal.won');
    await receiver.waitFor(withId(eventId));
    // Its first attempt failed: the retry is put an hour away, as the schedule's later waits are.
    for (const deadline = Date.now() + 10_000; ;) {
      const waiting = await t.sql(
        `UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour'
          WHERE endpoint_id = $1 AND status = 'pending' AND attempts >= 1 AND lease_expires_at IS NULL RETURNING id`,
        [hook.id],
      );
      if (waiting.length === 1) break;
      if (Date.now() > deadline) throw new Error('the delivery never waited for its retry');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const path = `/api/webhooks/${hook.id}`;
    expect((await t.api.patch(path, { enabled: false }, { token: tenantA.token })).status).toBe(200);
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    expect(delivery.status).toBe('dead');

    const range = { since: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 1_000).toISOString() };
    for (const [route, body] of [
      [`${path}/test`, undefined],
      [`${path}/deliveries/${delivery.id}/replay`, undefined],
      [`${path}/replay`, range],
    ] as const) {
      const refused = await t.api.post(route, body, { token: tenantA.token });
      expect({ route, status: refused.status, message: refused.body.message }).toEqual({
        route,
        status: 409,
        message: expect.stringContaining('disabled'),
      });
    }
    expect(await deliveriesOf(tenantA.token, hook.id)).toHaveLength(1);
    expect((await t.api.patch(path, { enabled: true }, { token: tenantA.token })).status).toBe(200);
    expect((await t.api.post(`${path}/test`, undefined, { token: tenantA.token })).status).toBe(202);
  });

  it('disables an endpoint failing for days and mails the tenant admins; a platform endpoint is alerted on instead', async () => {
    const hook = await endpoint(tenantA.token, '/dead-for-days', ['payment.*']);
    receiver.always('/dead-for-days', { status: 500 });
    await t.sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [hook.id]);
    const eventId = await emit(tenantA.id, 'payment.received');

    await receiver.waitFor(withId(eventId));
    const mail = await t.mailbox.take(tenantA.adminEmail, /webhook endpoint was disabled/);
    expect(mail.text).toContain(receiver.url('/dead-for-days'));
    const disabled = await t.api.get(`/api/webhooks/${hook.id}`, { token: tenantA.token });
    expect(disabled.body).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/failed for 5 days/),
      disabledAt: expect.any(String),
    });
    const [delivery] = await deliveriesOf(tenantA.token, hook.id);
    expect(delivery.status).toBe('dead');

    const platform = await endpoint(admin, '/platform-dead', ['tenant.*'], '/control/webhooks');
    receiver.always('/platform-dead', { status: 500 });
    await t.sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [platform.id]);
    await emit(null, 'tenant.suspended', { tenantId: tenantB.id });
    for (const deadline = Date.now() + 15_000; ;) {
      const alerts = (await t.api.get('/control/alerts?open=true', { token: admin })).body as Array<{ kind: string; subject: string }>;
      if (alerts.some((alert) => alert.kind === 'webhook_endpoint_disabled' && alert.subject === platform.id)) break;
      if (Date.now() > deadline) throw new Error('no alert for the disabled platform endpoint');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('sends platform events to platform endpoints only, and counts attempts by outcome in the metrics', async () => {
    const platform = await endpoint(admin, '/platform', ['tenant.*'], '/control/webhooks');
    const tenantHook = await endpoint(tenantA.token, '/tenant-star', ['*']);
    const eventId = await emit(null, 'tenant.provisioned', { tenantId: tenantB.id });

    const [received] = await receiver.waitFor(withId(eventId));
    expect(received.path).toBe('/platform');
    expect(received.verifiedWith).toEqual([0]);
    expect((await t.api.get(`/control/webhooks/${platform.id}/deliveries`, { token: admin })).body.items).toHaveLength(1);
    expect((await t.api.get(`/control/webhooks/${tenantHook.id}`, { token: admin })).status).toBe(404);
    expect((await t.api.get(`/control/webhooks/${platform.id}`, { token: tenantA.token })).status).toBe(403);
    expect(receiver.at('/tenant-star')).toEqual([]);

    const metrics = await (await fetch(`${t.api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/tenantry_webhook_delivery_attempt_duration_seconds_count\{outcome="delivered"\} [1-9]/);
    expect(metrics).toMatch(/tenantry_webhook_delivery_attempt_duration_seconds_count\{outcome="dead_lettered"\} [1-9]/);
    expect(metrics).toMatch(/tenantry_webhook_deliveries_pending\{state="due"\} \d+/);
    expect(metrics).toMatch(/tenantry_webhook_deliveries_pending\{state="scheduled"\} \d+/);
    expect(metrics).not.toMatch(/webhook[^\n]*tenant/);
  });

  it('keeps an owner to 50 endpoints: the 51st is a 409 and is not stored', async () => {
    const { token } = await tenantAdminSession(t.api, admin);
    for (let i = 0; i < 50; i += 1) {
      const created = await t.api.post('/api/webhooks', { url: receiver.url(`/cap-${i}`), eventTypes: ['account.*'] }, { token });
      expect(created.status).toBe(201);
    }
    const refused = await t.api.post('/api/webhooks', { url: receiver.url('/cap-50'), eventTypes: ['account.*'] }, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('At most 50 webhook endpoints per tenant');
    expect((await t.api.get('/api/webhooks', { token })).body).toHaveLength(50);
  });
});
