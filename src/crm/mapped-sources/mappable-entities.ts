import { EntityDefinitions } from '../../../libs/byod';

export const INVENTORY_STATUSES = ['available', 'reserved', 'sold', 'archived'] as const;

/**
 * The CRM entities a `byod` tenant can map onto its own tables, and what each field needs of a
 * column. Prices may live in a decimal column (major units) or an integer one (minor units). The
 * key field (an item's SKU, a contact's or account's id) is the customer's primary key: it is
 * the record's id in our API. No owner (`owner_user_id`) is mappable, so an `ownerUserId` sent
 * to a mapped store is a 409: making it mappable means checking it with `TenantMembers` there too.
 */
export const MAPPABLE_ENTITIES: EntityDefinitions = {
  inventory_item: {
    sku: { accepts: ['text'], required: true, key: true },
    name: { accepts: ['text'], required: true },
    stock_on_hand: { accepts: ['integer'], required: true },
    price_selling_minor: { accepts: ['integer', 'decimal'], required: true },
    currency: { accepts: ['text'], required: false },
    status: { accepts: ['text'], required: false, enum: INVENTORY_STATUSES },
    low_stock_threshold: { accepts: ['integer'], required: false },
  },
  contact: {
    id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
    first_name: { accepts: ['text'], required: true },
    last_name: { accepts: ['text'], required: true },
    email: { accepts: ['text'], required: false },
    phone: { accepts: ['text'], required: false },
    job_title: { accepts: ['text'], required: false },
  },
  account: {
    id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
    name: { accepts: ['text'], required: true },
    domain: { accepts: ['text'], required: false },
    industry: { accepts: ['text'], required: false },
  },
};


/** The field that identifies a record of `entity`: the one its definition marks as the key. */
export function keyFieldOf(entity: string): string {
  const key = Object.entries(Object.hasOwn(MAPPABLE_ENTITIES, entity) ? MAPPABLE_ENTITIES[entity] : {}).find(([, field]) => field.key);
  if (!key) throw new Error(`Mappable entity ${entity} has no key field`);
  return key[0];
}
