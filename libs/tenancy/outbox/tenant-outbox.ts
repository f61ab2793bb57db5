import { TenantEntityManager } from '../tenant-connection-provider';
import { OutboxEvent } from './outbox-event';

/**
 * Appends events to the tenant's outbox in `tx`, the transaction of the change they describe: they
 * commit with it or not at all. Their ids (the de-duplication ids every consumer sees) and their
 * order (`seq`) are given here, by the tenant database. The events travel as one JSON array: as
 * array parameters, the driver escaped each event's JSON a character at a time (a bulk import's
 * batch carries thousands).
 */
export async function appendToOutbox(tx: TenantEntityManager, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.manager.query(
    `INSERT INTO outbox_events (type, version, data)
     SELECT event.value ->> 'type', (event.value ->> 'version')::int, event.value -> 'data'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS event (value, position)
      ORDER BY event.position`,
    [JSON.stringify(events.map(({ type, version, data }) => ({ type, version, data })))],
  );
}
