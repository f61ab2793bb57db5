import { TenantEntityManager } from '../tenant-connection-provider';
import { OutboxEvent } from './outbox-event';

/**
 * Appends events to the tenant's outbox in `tx`, the transaction of the change they describe: they
 * commit with it or not at all. Their ids (the de-duplication ids every consumer sees) and their
 * order (`seq`) are given here, by the tenant database.
 */
export async function appendToOutbox(tx: TenantEntityManager, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.manager.query(
    `INSERT INTO outbox_events (type, version, data)
     SELECT event.type, event.version, event.data
       FROM unnest($1::text[], $2::int[], $3::jsonb[]) WITH ORDINALITY AS event (type, version, data, position)
      ORDER BY event.position`,
    [events.map((event) => event.type), events.map((event) => event.version), events.map((event) => JSON.stringify(event.data))],
  );
}
