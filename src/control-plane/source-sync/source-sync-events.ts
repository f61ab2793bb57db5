import { DetectedChange, MappedRecord, nameBasedUuid } from '../../../libs/byod';
import { apiFieldName } from '../../platform/tenant-modules/api-field-name';
import { DomainEvent } from '../domain-events/domain-event';
import { VanishedRow } from './source-sync-state';

/** The namespace of sync events' name-based ids (a random UUID fixed once: it only keeps them apart from other v5 ids). */
const SYNC_EVENT_NAMESPACE = '5b0f9a3e-1c0e-4d6a-9b7e-6f1d2c3b4a59';

/**
 * The domain events of changes a sync run found in a tenant's own system, with the types and shape
 * of the changes made through the API to a byod source (`<entity>.created|updated|deleted`, version
 * 1): `data.record` in API field names with the customer's key as `id`, an update's `data.changes`
 * holding the new value of each changed field, and `data.origin: "source_sync"`. A deletion carries
 * only `{ id }`: the sync keeps hashes of rows, not their values.
 *
 * The id is derived from the run, the row and its new fingerprint: an attempt that re-detects what
 * a crashed attempt of the same run already recorded produces the same id (recorded once), while
 * the same values coming back in a later run (A → B → A → B) are a new change with a new id.
 */
export function syncEvent(tenantId: string, runId: string, entity: string, keyField: string, change: DetectedChange): DomainEvent {
  const record = eventRecord(keyField, change.record);
  const changes =
    change.kind === 'updated'
      ? Object.fromEntries(change.changedFields.map((field) => [field === keyField ? 'id' : apiFieldName(field), change.record[field]]))
      : undefined;
  return event(tenantId, `${runId}/${entity}/${change.key}/${change.kind}/${change.fingerprint.fingerprint}`, `${entity}.${change.kind}`, {
    record,
    ...(changes ? { changes } : {}),
  });
}

export function syncDeletionEvent(tenantId: string, runId: string, entity: string, row: VanishedRow): DomainEvent {
  return event(tenantId, `${runId}/${entity}/${row.key}/deleted/${row.fingerprint}`, `${entity}.deleted`, { record: { id: row.key } });
}

function event(tenantId: string, name: string, type: string, data: Record<string, unknown>): DomainEvent {
  return {
    id: nameBasedUuid(SYNC_EVENT_NAMESPACE, `${tenantId}/${name}`),
    tenantId,
    type,
    version: 1,
    occurredAt: new Date(),
    // As it would be sent as JSON: dates as ISO strings, no undefined fields.
    data: JSON.parse(JSON.stringify({ ...data, origin: 'source_sync' })) as Record<string, unknown>,
  };
}

function eventRecord(keyField: string, record: MappedRecord): Record<string, unknown> {
  const fields = Object.entries(record).filter(([field]) => field !== keyField);
  return { id: String(record[keyField]), ...Object.fromEntries(fields.map(([field, value]) => [apiFieldName(field), value])) };
}
