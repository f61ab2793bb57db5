import { EntityManager } from 'typeorm';
import { addressPattern, anonymisedEventData, ERASED, eventsAboutRecords } from '../../../libs/tenancy/outbox/event-erasure';
import { ErasedSubject } from '../domain-events/erased-subject';

/**
 * The tenant's deliveries (alias `d`, tenant parameter `$1`): those to its own endpoints, and those
 * of its events to the platform's endpoints, which carry its data just the same.
 */
const TENANT_DELIVERIES = `(d.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE tenant_id = $1)
  OR (d.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE tenant_id IS NULL)
      AND d.event_id IN (SELECT id FROM domain_events WHERE tenant_id = $1)))`;

/** Columns of an attempt that hold what the receiver answered or what went wrong, with their lengths. */
const ATTEMPT_TEXTS = [
  ['response_excerpt', 1024],
  ['error', 1000],
] as const;

/**
 * Erases a data subject from the tenant's webhook deliveries: payloads of deliveries about the
 * person's records lose the record's personal fields (and their attempts the receiver's answers,
 * which may echo them); the address is replaced by `[erased]` in every payload, response excerpt
 * and error. Pending deliveries and later replays send the payload as it is now. Returns how many
 * deliveries changed (theirs or their attempts').
 */
export async function eraseFromDeliveries(manager: EntityManager, tenantId: string, subject: ErasedSubject): Promise<number> {
  const changed = new Set<string>();
  const collect = ([rows]: [Array<{ id: string }>, number]) => rows.forEach((row) => changed.add(row.id));
  for (const { entity, ids, anonymised } of subject.records) {
    if (ids.length === 0) continue;
    const about = eventsAboutRecords('d.event_type', "d.payload->'data'", '$2', '$3');
    collect(
      await manager.query(
        `UPDATE webhook_deliveries d SET payload = jsonb_set(d.payload, '{data}', ${anonymisedEventData("d.payload->'data'", '$4')})
          WHERE ${TENANT_DELIVERIES} AND ${about} RETURNING d.id`,
        [tenantId, entity, ids, JSON.stringify(anonymised)],
      ),
    );
    collect(
      await manager.query(
        `UPDATE webhook_delivery_attempts a SET response_excerpt = '${ERASED}' FROM webhook_deliveries d
          WHERE a.delivery_id = d.id AND a.response_excerpt IS NOT NULL AND ${TENANT_DELIVERIES} AND ${about} RETURNING d.id`,
        [tenantId, entity, ids],
      ),
    );
  }
  const pattern = addressPattern(subject.email);
  collect(
    await manager.query(
      `UPDATE webhook_deliveries d SET payload = regexp_replace(d.payload::text, $2, '${ERASED}', 'gi')::jsonb
        WHERE ${TENANT_DELIVERIES} AND d.payload::text ~* $2 RETURNING d.id`,
      [tenantId, pattern],
    ),
  );
  for (const [column, length] of ATTEMPT_TEXTS) {
    collect(
      await manager.query(
        `UPDATE webhook_delivery_attempts a SET ${column} = left(regexp_replace(a.${column}, $2, '${ERASED}', 'gi'), ${length})
          FROM webhook_deliveries d WHERE a.delivery_id = d.id AND ${TENANT_DELIVERIES} AND a.${column} ~* $2 RETURNING d.id`,
        [tenantId, pattern],
      ),
    );
  }
  return changed.size;
}
