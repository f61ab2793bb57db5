import { TenantEntityManager } from '../tenant-connection-provider';
import { OutboxEvent } from './outbox-event';
import { timeOrderedId } from '../../ids/time-ordered-id';

/**
 * Appends events to the tenant's outbox in `tx`, the transaction of the change they describe: they
 * commit with it or not at all. Their ids (the de-duplication ids every consumer sees) and their
 * order (`seq`) are given here: the ids time-ordered (UUID version 7), so a bulk import's thousands of
 * events extend the outbox's and the control plane's event-id indexes at their edge instead of touching
 * pages all over them; the order by the tenant database. The events travel as one JSON array: as
 * array parameters, the driver escaped each event's JSON a character at a time (a bulk import's
 * batch carries thousands).
 */
export async function appendToOutbox(tx: TenantEntityManager, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.manager.query(
    `INSERT INTO outbox_events (id, type, version, data)
     SELECT (event.value ->> 'id')::uuid, event.value ->> 'type', (event.value ->> 'version')::int, event.value -> 'data'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS event (value, position)
      ORDER BY event.position`,
    [JSON.stringify(events.map(({ type, version, data }) => ({ id: timeOrderedId(), type, version, data })))],
  );
}
