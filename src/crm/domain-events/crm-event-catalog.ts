import { eventCatalog, EventTypeDeclaration, RecordSchema } from '../../../libs/tenancy/outbox/event-catalog';
import { AccountDto } from '../accounts/dto/account.dto';
import { ActivityDto } from '../activities/dto/activity.dto';
import { ContactDto } from '../contacts/dto/contact.dto';
import { DealDto } from '../deals/dto/deal.dto';
import { EventDto } from '../events/dto/event.dto';
import { InventoryItemDto } from '../inventory/dto/inventory-item.dto';
import { InventoryMovementDto } from '../inventory/dto/inventory-movement.dto';
import { InvoiceDto, InvoicePaymentDto } from '../invoices/dto/invoice.dto';
import { NoteDto } from '../notes/dto/note.dto';

/** What happens to any record: created, changed, (soft-)deleted, brought back. */
export type RecordAction = 'created' | 'updated' | 'deleted' | 'restored';

/** The tenant-data entities that raise events, with the DTO their events carry and the actions they have. */
const ENTITIES = {
  account: { record: AccountDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  contact: { record: ContactDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  deal: { record: DealDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  activity: { record: ActivityDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  event: { record: EventDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  inventory_item: { record: InventoryItemDto, actions: ['created', 'updated', 'deleted', 'restored'] },
  // Documents are never deleted: an invoice is voided (invoice.status_changed).
  invoice: { record: InvoiceDto, actions: ['created', 'updated'] },
  // Notes are deleted for good.
  note: { record: NoteDto, actions: ['created', 'updated', 'deleted'] },
} as const satisfies Record<string, { record: RecordSchema; actions: readonly RecordAction[] }>;

export type CrmEntity = keyof typeof ENTITIES;

const ACTION_DESCRIPTIONS: Record<RecordAction, { description: string; fields: Record<string, string> }> = {
  created: { description: 'was created', fields: {} },
  updated: {
    description: 'was changed',
    fields: {
      changes:
        'the changed fields, each as `{ from, to }` (a replaced list as `{ from: "replaced", to: [...] }`); for a tenant whose ' +
        "data lives in its own system, each as its new value alone (that system's previous value is not read), `record` " +
        'then holding what an API write wrote, or the row as read for a change the background sync found there ' +
        '(`origin: "source_sync"`)',
    },
  },
  deleted: { description: 'was deleted', fields: {} },
  restored: { description: 'was restored after a soft delete', fields: {} },
};

const FROM_TO = {
  from: "the previous value (null for a tenant whose data lives in its own system: that system's previous value is not read)",
  to: 'the new value',
};

/** The explicit state changes, raised besides `<entity>.updated` where the domain has a state machine. */
const STATE_CHANGES = {
  'deal.stage_changed': { description: 'A deal moved to another stage', record: DealDto, fields: FROM_TO },
  'event.status_changed': { description: 'An event’s status changed', record: EventDto, fields: FROM_TO },
  'inventory.stock_changed': {
    description: 'Stock of an item moved (receipt, sale, adjustment, reservation, release), from the API or an invoice',
    record: InventoryItemDto,
    fields: { movement: 'the movement as GET /api/inventory/{id}/movements lists it (InventoryMovementDto)' },
  },
  'invoice.status_changed': {
    description: 'A quote or invoice changed status (sent, accepted, void, converted, paid, ...)',
    record: InvoiceDto,
    fields: FROM_TO,
  },
  'invoice.issued': { description: 'An invoice was sent to the customer (its stock moved with it)', record: InvoiceDto, fields: {} },
  'invoice.paid': { description: 'An invoice was paid in full', record: InvoiceDto, fields: {} },
  'payment.recorded': {
    description: 'A payment was recorded on an invoice',
    record: InvoiceDto,
    fields: { payment: 'the payment (InvoicePaymentDto)' },
  },
} as const satisfies Record<string, Omit<EventTypeDeclaration, 'type' | 'version'>>;

type LifecycleType = { [E in CrmEntity]: `${E}.${(typeof ENTITIES)[E]['actions'][number]}` }[CrmEntity];
export type CrmEventType = LifecycleType | keyof typeof STATE_CHANGES;

/** The state changes a byod write raises besides `<entity>.updated`, by the field whose writing raises them. */
export const BYOD_STATE_CHANGES: Readonly<Record<string, ReadonlyArray<{ type: CrmEventType; field: string }>>> = {
  deal: [{ type: 'deal.stage_changed', field: 'stage' }],
  event: [{ type: 'event.status_changed', field: 'status' }],
};

/** Schemas the catalog refers to besides the records (shown in the OpenAPI document's components). */
export const CRM_EVENT_EXTRA_SCHEMAS = [InventoryMovementDto, InvoicePaymentDto];

/**
 * Every event type tenant data raises, version 1 each. `data.record` is the record as the API
 * returns it after the change (for `deleted`, as it was when deleted); `tenantId` is on the event,
 * never in `data`. Documented at GET /api/events/catalog and in README (Domain events).
 */
export const CRM_EVENT_CATALOG = eventCatalog([
  ...Object.entries(ENTITIES).flatMap(([entity, { record, actions }]) =>
    actions.map((action) => ({
      type: `${entity}.${action}`,
      version: 1,
      description: `A${/^[aeiou]/.test(entity) ? 'n' : ''} ${entity.replaceAll('_', ' ')} ${ACTION_DESCRIPTIONS[action].description}`,
      record,
      fields: ACTION_DESCRIPTIONS[action].fields,
    })),
  ),
  ...Object.entries(STATE_CHANGES).map(([type, declaration]) => ({ type, version: 1, ...declaration })),
]);
