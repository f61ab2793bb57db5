import { DataSource } from 'typeorm';
import { DataSourceRegistry } from '../../libs/tenancy/data-source-registry';
import { relayTenantOutbox } from '../../libs/tenancy/outbox/outbox-relay';
import { appendToOutbox } from '../../libs/tenancy/outbox/tenant-outbox';
import { TenantConnectionProvider } from '../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { BoundTenant } from '../../libs/tenancy/tenant-placement';
import { DomainEventLog } from '../../src/control-plane/domain-events/domain-event-log';
import { OutboxRelay } from '../../src/control-plane/domain-events/outbox-relay';
import { createServiceTesting, ServiceTesting } from '../support/service-testing';

/** The relay between a tenant's outbox and the control plane's domain_events: at-least-once hand-over, exactly-once record. */
let testing: ServiceTesting;
let relay: OutboxRelay;
let tenant: BoundTenant;

beforeAll(async () => {
  testing = await createServiceTesting([]);
  relay = testing.get(OutboxRelay);
  tenant = await testing.asTenant(() => Promise.resolve(testing.get(TenantContext).require()));
});

afterAll(() => testing?.close());

const events = (count: number, label: string) =>
  Array.from({ length: count }, (_, index) => ({ type: 'note.created', version: 1, data: { label, index } }));

const append = (count: number, label: string) =>
  testing.asTenant(() => testing.get(TenantConnectionProvider).transaction((tx) => appendToOutbox(tx, events(count, label))));

const outboxIds = async () => (await testing.tenantSql<{ id: string }>('SELECT id FROM outbox_events ORDER BY seq')).map((row) => row.id);

const recorded = (label: string) =>
  testing.controlPlaneSql<{ id: string; index: number }>(
    `SELECT id, (data->>'index')::int AS index FROM domain_events WHERE data->>'label' = $1 ORDER BY seq`,
    [label],
  );

/** A relay on the tenant's database outside OutboxRelay, to hand a batch to a destination of the test's choosing. */
async function onTenantDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  if (!tenant.database.reachable) throw new Error('the service tenant has a database');
  const lease = await testing.get(DataSourceRegistry).acquire(tenant.database.spec);
  try {
    return await work(lease.dataSource);
  } finally {
    lease.release();
  }
}

it('records each event once, in seq order (past seq 9, where text order would differ), however many relays of the tenant run at once, and empties the outbox', async () => {
  await append(3, 'concurrent');
  await append(9, 'concurrent');
  const ids = await outboxIds();

  const moved = await Promise.all([relay.relay(tenant), relay.relay(tenant), relay.relay(tenant)]);

  expect(moved.reduce((sum, count) => sum + count, 0)).toBe(12);
  expect(await recorded('concurrent')).toEqual(ids.map((id, index) => ({ id, index: index < 3 ? index : index - 3 })));
  expect(await outboxIds()).toEqual([]);
});

it('hands a batch over again when the relay dies after the control plane recorded it, and records it once', async () => {
  await append(2, 'handed-twice');
  const ids = await outboxIds();
  const log = testing.get(DomainEventLog);
  const controlPlane = testing.get(DataSource);

  const dying = onTenantDatabase((dataSource) =>
    relayTenantOutbox(dataSource, tenant.id, async (batch) => {
      await controlPlane.transaction((manager) => log.record(manager, batch));
      throw new Error('killed before the outbox was cleared');
    }),
  );
  await expect(dying).rejects.toThrow('killed before the outbox was cleared');
  expect(await outboxIds()).toEqual(ids);

  expect(await relay.relay(tenant)).toBe(2);
  expect((await recorded('handed-twice')).map((row) => row.id)).toEqual(ids);
  expect(await outboxIds()).toEqual([]);
});

it('leaves no event and runs no after-commit work for a transaction that rolls back', async () => {
  let afterCommitRan = false;
  const rolledBack = testing.asTenant(() =>
    testing.get(TenantConnectionProvider).transaction(async (tx) => {
      await appendToOutbox(tx, events(1, 'rolled-back'));
      tx.afterCommit(() => (afterCommitRan = true));
      throw new Error('the change failed');
    }),
  );
  await expect(rolledBack).rejects.toThrow('the change failed');
  expect(await outboxIds()).toEqual([]);
  expect(afterCommitRan).toBe(false);
});

it('keeps an event whose transaction commits while a relay hands over a batch read past it (a lower seq than the batch’s last), and relays it next', async () => {
  await append(1, 'late-commit');
  let commit!: () => void;
  let appended!: () => void;
  const wasAppended = new Promise<void>((resolve) => (appended = resolve));
  const late = testing.asTenant(() =>
    testing.get(TenantConnectionProvider).transaction(async (tx) => {
      await appendToOutbox(tx, events(1, 'late-commit'));
      appended();
      await new Promise<void>((resolve) => (commit = resolve));
    }),
  );
  await wasAppended;
  await append(1, 'late-commit');
  const log = testing.get(DomainEventLog);
  const controlPlane = testing.get(DataSource);

  // The late transaction commits between the relay's read of the outbox and its delete of what it handed over.
  const handedOver = await onTenantDatabase((dataSource) =>
    relayTenantOutbox(dataSource, tenant.id, async (batch) => {
      await controlPlane.transaction((manager) => log.record(manager, batch));
      commit();
      await late;
    }),
  );

  expect(handedOver).toBe(2);
  expect(await outboxIds()).toHaveLength(1);
  expect(await relay.relay(tenant)).toBe(1);
  expect(await recorded('late-commit')).toHaveLength(3);
  expect(await outboxIds()).toEqual([]);
});
