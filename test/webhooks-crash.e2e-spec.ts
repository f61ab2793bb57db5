import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainEventLog } from '../src/control-plane/domain-events/domain-event-log';
import { killHard, startAppProcess } from './support/app-process';
import { adminToken } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A delivering process killed with SIGKILL in the middle of a webhook delivery: the delivery's lease
 * ends, another process makes it again with the same webhook-id, and every event is delivered —
 * nothing lost, and nothing duplicated beyond the attempts the killed process had under way.
 */
describe('webhook delivery after a worker is killed mid-delivery', () => {
  const settings = {
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_ENDPOINT_CONCURRENCY: '1',
  };
  let t: TestApp;
  let receiver: WebhookReceiver;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // This process serves the API and records events; the deliveries happen in child processes.
    t = await startTestApp({ env: { ...settings, WEBHOOK_DELIVERY_CONCURRENCY: '0' } });
  });

  afterAll(async () => {
    await Promise.all(workers.map(killHard));
    await t?.close();
    await receiver?.close();
  });

  it('delivers the interrupted event again with the same webhook-id, loses none, and the survivor delivers each event once', async () => {
    const admin = await adminToken(t.api);
    const created = await t.api.post('/control/webhooks', { url: receiver.url('/crash'), eventTypes: ['tenant.*'] }, { token: admin });
    expect(created.status).toBe(201);
    receiver.trust('/crash', created.body.secret);
    receiver.plan('/crash', 'hang');
    const events = Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(),
      tenantId: null,
      type: 'tenant.provisioned',
      version: 1,
      occurredAt: new Date(),
      data: { n: i },
    }));
    await t.app.get(DataSource).transaction((manager) => t.app.get(DomainEventLog).record(manager, events));

    const doomed = startAppProcess(t.databaseUrl, settings);
    workers.push(doomed);
    const [interrupted] = await receiver.waitFor((hook) => hook.path === '/crash', 1, 60_000);
    await killHard(doomed);
    const killedAt = Date.now();
    workers.push(startAppProcess(t.databaseUrl, settings));

    const interruptedId = String(interrupted.headers['webhook-id']);
    await receiver.waitFor((hook) => hook.headers['webhook-id'] === interruptedId && hook.receivedAt > killedAt, 1, 60_000);
    const ids: string[] = events.map((event) => event.id);
    const idsOf = (hooks: ReturnType<typeof receiver.at>) => hooks.map((hook) => String(hook.headers['webhook-id']));
    for (const id of ids) await receiver.waitFor((hook) => hook.headers['webhook-id'] === id, 1, 60_000);
    const received = receiver.at('/crash');
    expect(received.every((hook) => hook.verifiedWith.length === 1)).toBe(true);
    expect(idsOf(received).every((id) => ids.includes(id))).toBe(true);
    // The survivor delivers each event at most once; a duplicate can only be of an attempt the killed process had under way.
    const afterKill = idsOf(received.filter((hook) => hook.receivedAt > killedAt));
    expect(new Set(afterKill).size).toBe(afterKill.length);
    expect(afterKill).toContain(interruptedId);

    // The receipt comes before the survivor records it: wait for the log to say so.
    const logged = async () =>
      t.sql<{ event_id: string; status: string; attempts: number; logged: number[] }>(
        `SELECT d.event_id, d.status, d.attempts, array_agg(a.attempt ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL) AS logged
           FROM webhook_deliveries d LEFT JOIN webhook_delivery_attempts a ON a.delivery_id = d.id
          WHERE d.endpoint_id = $1 GROUP BY d.id`,
        [created.body.id],
      );
    for (
      const deadline = Date.now() + 10_000;
      (await logged()).some((delivery) => delivery.status !== 'succeeded') && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deliveries = await logged();
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((delivery) => delivery.status === 'succeeded')).toBe(true);
    // The killed attempt counts (a delivery cannot crash its workers forever) but left no record: the interrupted
    // delivery logs its second attempt only, every other delivery its first.
    for (const delivery of deliveries) {
      const attempt = delivery.event_id === interruptedId ? 2 : 1;
      expect({ attempts: delivery.attempts, logged: delivery.logged }).toEqual({ attempts: attempt, logged: [attempt] });
    }
  }, 120_000);
});
