import { DataSource, QueryRunner } from 'typeorm';
import { SessionSettings } from '../session-settings';
import { inTenantTransaction } from '../tenant-transaction';
import { PendingOutboxEvent } from './outbox-event';

/** Where relayed events go; it must be idempotent by event id, since a batch can be handed over twice. */
export type OutboxDestination = (events: readonly PendingOutboxEvent[]) => Promise<void>;

/**
 * Events per relay round: as many as a bulk import's batch writes (ImportRunner), so each import commit costs one
 * round (lock, read, record, delete), not ten; a round of a single API change still reads only what is there.
 */
const BATCH_SIZE = 5000;

interface OutboxRow {
  id: string;
  tenant_id: string;
  seq: string;
  type: string;
  version: number;
  occurred_at: Date;
  data: Record<string, unknown>;
}

/** First key of the transaction-level advisory lock that serialises the relays of one tenant (the second is the tenant's hash). */
const RELAY_LOCK_CLASS = 0x6f7574; // 'out'

/**
 * Moves the tenant's pending events to `destination` in `seq` order, batch by batch, and deletes
 * them from the outbox once it has taken them. Each batch runs in a transaction bound to the
 * tenant that first takes the tenant's relay lock, so relays of one tenant (a request's kick,
 * another process's, the sweep) run strictly one after another and each reads the outbox only
 * once the previous one has committed: none can hand over a later event while an earlier one is
 * still on its way. A relay that dies after `destination` took a batch leaves it in the outbox, and
 * the next relay hands it over again, which the destination's idempotency absorbs. Returns how
 * many were moved. `settings` are the tenant database's transaction settings (TenantDatabase).
 */
export async function relayTenantOutbox(
  dataSource: DataSource,
  tenantId: string,
  destination: OutboxDestination,
  settings: SessionSettings = {},
): Promise<number> {
  let relayed = 0;
  for (;;) {
    const moved = await inTenantTransaction(dataSource, tenantId, (queryRunner) => relayBatch(queryRunner, tenantId, destination), {
      settings,
    });
    relayed += moved;
    if (moved < BATCH_SIZE) return relayed;
  }
}

/**
 * Waits for the tenant's relay in flight, if any, and keeps the next one out until the caller's
 * transaction ends: what that transaction changes in the outbox is what the next relay reads (a
 * subject erasure, which must not let an event it has not seen carry the address out).
 */
export async function holdTenantRelays(
  runner: { query(text: string, parameters?: unknown[]): Promise<unknown> },
  tenantId: string,
): Promise<void> {
  await runner.query(`SELECT pg_advisory_xact_lock(${RELAY_LOCK_CLASS}, hashtext($1))`, [tenantId]);
}

async function relayBatch(queryRunner: QueryRunner, tenantId: string, destination: OutboxDestination): Promise<number> {
  await holdTenantRelays(queryRunner, tenantId);
  // Rows come and go all day, so the outbox's statistics are stale by nature: while they say it is small, the
  // planner reads and sorts every pending event to find the first batch (an import's backlog made each batch
  // cost tens of milliseconds). Without sorting it walks the primary key and stops after the batch.
  await queryRunner.query('SET LOCAL enable_sort = off');
  const rows = (await queryRunner.query(
    `SELECT id, tenant_id, seq::text AS seq, type, version, occurred_at, data FROM outbox_events
      ORDER BY outbox_events.seq LIMIT ${BATCH_SIZE}`,
  )) as OutboxRow[];
  if (rows.length === 0) return 0;
  await destination(
    rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      seq: row.seq,
      type: row.type,
      version: row.version,
      occurredAt: row.occurred_at,
      data: row.data,
    })),
  );
  // The range is for the planner (the batch's own keys are what is deleted): an event of a transaction that
  // committed after the read may hold a lower `seq` than the batch's last, and stays for the next batch.
  await queryRunner.query(`DELETE FROM outbox_events WHERE seq BETWEEN $2 AND $3 AND seq = ANY($1::bigint[])`, [
    rows.map((row) => row.seq),
    rows[0].seq,
    rows[rows.length - 1].seq,
  ]);
  return rows.length;
}

/**
 * The tenants of a database that have events waiting, in one query: what the sweep relays after
 * a process died between a commit and its relay. Asks the tenant schema's `outbox_pending_tenants()`
 * (migrations/tenant), which answers tenant ids and nothing of their events, to the application
 * role only; the sweep then relays each tenant bound to it like any request.
 */
export async function tenantsWithPendingEvents(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.query<Array<{ tenant_id: string }>>('SELECT tenant_id FROM outbox_pending_tenants() AS tenant_id');
  return rows.map((row) => row.tenant_id);
}

/**
 * The database's tenant schema is behind the release that added the outbox, or the function the
 * sweep asks (a fleet migration will add them): the sweep skips it. Its tenants' requests answer
 * 503 meanwhile, so none add events; any left there from before wait for the migration.
 */
export function isOutboxMissing(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } }).driverError ?? (error as { code?: string });
  return driverError?.code === UNDEFINED_TABLE || driverError?.code === UNDEFINED_FUNCTION;
}

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_FUNCTION = '42883';
