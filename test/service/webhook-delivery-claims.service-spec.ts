import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FencedAttempt } from '../../libs/queue/fenced-attempt';
import { claimDueDeliveries, DELIVERY_FENCE } from '../../src/control-plane/webhooks/webhook-delivery-claims';
import { createServiceTesting, ServiceTesting } from '../support/service-testing';

/** The deliveries table as a queue, on a real control-plane database: due order, leases, per-endpoint caps, no double claim. */
let testing: ServiceTesting;
let dataSource: DataSource;

beforeAll(async () => {
  testing = await createServiceTesting([]);
  dataSource = testing.get(DataSource);
});

afterAll(() => testing?.close());

/** Every test starts with no pending delivery (claims see the whole table). */
beforeEach(() => testing.controlPlaneSql(`UPDATE webhook_deliveries SET status = 'dead' WHERE status = 'pending'`));

/** An endpoint of `tenantId`, or of the platform. */
async function endpoint(tenantId: string | null = null): Promise<string> {
  const id = randomUUID();
  await testing.controlPlaneSql(
    `INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret_encrypted)
     VALUES ($1, $2, 'https://receiver.example/hook', '{tenant.*}', 'sealed')`,
    [id, tenantId],
  );
  return id;
}

async function tenant(): Promise<string> {
  const slug = `hooks-${randomUUID().slice(0, 8)}`;
  const [{ id }] = await testing.controlPlaneSql<{ id: string }>(
    `INSERT INTO tenants (slug, name, status, plan, placement) VALUES ($1, $1, 'active', 'starter', 'pooled') RETURNING id`,
    [slug],
  );
  return id;
}

/** `count` deliveries to the endpoint, due `dueSecondsAgo` (oldest first), or in the future when negative. */
async function deliveries(endpointId: string, count: number, dueSecondsAgo = 10): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await testing.controlPlaneSql(
    `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, next_attempt_at)
     SELECT id, $2, gen_random_uuid(), 'tenant.provisioned', '{"type":"tenant.provisioned"}', now() - make_interval(secs => $3 - n)
       FROM unnest($1::uuid[]) WITH ORDINALITY AS given (id, n)`,
    [ids, endpointId, dueSecondsAgo],
  );
  return ids;
}

const claim = (limit: number, endpointConcurrency = 2, leaseSeconds = 30, tenantConcurrency = 100) =>
  claimDueDeliveries(dataSource, { limit, endpointConcurrency, leaseSeconds, tenantConcurrency });

it('claims due deliveries oldest first with their endpoint, starts their attempt, and leaves those not yet due', async () => {
  const endpointId = await endpoint();
  const due = await deliveries(endpointId, 2);
  await deliveries(endpointId, 1, -60);

  const claimed = await claim(10);

  expect(claimed.map(({ delivery }) => delivery.id)).toEqual(due);
  expect(claimed[0].delivery).toMatchObject({ endpoint_id: endpointId, attempt: 1, url: 'https://receiver.example/hook', enabled: true });
  expect(JSON.parse(claimed[0].delivery.body)).toEqual({ type: 'tenant.provisioned' });
  expect(claimed.map(({ attempt }) => attempt.token)).toEqual([1, 1]);
});

it('leases what it claimed: no claim takes it again until the lease ends, then the next attempt supersedes the first', async () => {
  const [id] = await deliveries(await endpoint(), 1);
  const [first] = await claim(10, 2, 1);
  expect(await claim(10)).toEqual([]);

  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const [second] = await claim(10);

  expect(second.delivery).toMatchObject({ id, attempt: 2 });
  const owning = await FencedAttempt.writeEach(
    dataSource,
    DELIVERY_FENCE,
    [first, second].map(({ attempt }) => ({ attempt, values: [] })),
    [],
    [`touched AS (UPDATE webhook_deliveries SET lease_expires_at = NULL WHERE id IN (SELECT id FROM owned))`],
  );
  expect(owning.map((attempt) => attempt.token)).toEqual([second.attempt.token]);
});

it("caps each endpoint's attempts in flight, and a backlog of one endpoint at its cap does not hide another's delivery", async () => {
  const busy = await endpoint();
  await deliveries(busy, 40, 100);
  const [quiet] = await deliveries(await endpoint(), 1, 1);

  const first = await claim(2, 2);
  const second = await claim(2, 2);

  expect(first.map(({ delivery }) => delivery.endpoint_id)).toEqual([busy, busy]);
  expect(second.map(({ delivery }) => delivery.id)).toEqual([quiet]);
  expect(await claim(10, 2)).toEqual([]);
});

it("caps a tenant's attempts in flight over all its endpoints, and its backlog at the cap does not hide another tenant's delivery", async () => {
  const busy = await tenant();
  const busyEndpoints = await Promise.all([endpoint(busy), endpoint(busy), endpoint(busy)]);
  for (const busyEndpoint of busyEndpoints) await deliveries(busyEndpoint, 10, 100);
  const other = await endpoint(await tenant());
  const [quiet] = await deliveries(other, 1, 1);

  const first = await claim(3, 2, 30, 3);
  const second = await claim(3, 2, 30, 3);

  expect(first.map(({ delivery }) => busyEndpoints.includes(delivery.endpoint_id))).toEqual([true, true, true]);
  expect(second.map(({ delivery }) => delivery.id)).toEqual([quiet]);
  expect(await claim(10, 2, 30, 3)).toEqual([]);
});

it("counts the platform's endpoints as one owner under the same cap", async () => {
  const platformEndpoints = await Promise.all([endpoint(), endpoint()]);
  for (const platformEndpoint of platformEndpoints) await deliveries(platformEndpoint, 10, 100);
  const [quiet] = await deliveries(await endpoint(await tenant()), 1, 1);

  const first = await claim(3, 2, 30, 3);
  const second = await claim(3, 2, 30, 3);

  expect(first.map(({ delivery }) => platformEndpoints.includes(delivery.endpoint_id))).toEqual([true, true, true]);
  expect(second.map(({ delivery }) => delivery.id)).toEqual([quiet]);
});

it('never gives one delivery to two claims made at the same time', async () => {
  const ids = (await Promise.all(Array.from({ length: 12 }, async () => deliveries(await endpoint(), 2)))).flat();

  const claims = await Promise.all(Array.from({ length: 4 }, () => claim(10, 2)));

  const claimed = claims.flat().map(({ delivery }) => delivery.id);
  expect(new Set(claimed).size).toBe(claimed.length);
  expect(claimed.every((id) => ids.includes(id))).toBe(true);
});
