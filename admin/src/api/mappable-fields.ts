import type { components } from '../../../packages/client';

type Mappings = components['schemas']['EntityMappingsDto'];
export type MappableEntity = keyof Mappings;
/** The entity's own fields, without the `string → string` index signature of the generic EntityMappingDto. */
type FieldsOf<E extends MappableEntity> = NamedOnly<NonNullable<NonNullable<Mappings[E]>['fields']>>;
type NamedOnly<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

interface FieldInfo {
  label: string;
  required?: boolean;
  /** Our fixed values: mapping the field needs a value map giving the source's value for each. */
  values?: readonly string[];
  /** Kept by the customer's system: read only, so no rule may target it. */
  readOnly?: boolean;
}

/**
 * Every field of every entity the OpenAPI document says a byod source can map (`EntityMappingsDto`),
 * typed against the generated client: a field added to or dropped from the API, or one that changes
 * between required and optional, fails the console's type check until it is listed here. Values and
 * labels are the documented ones (the document gives them only as descriptions).
 */
type Catalog = {
  [E in MappableEntity]: {
    [K in keyof FieldsOf<E>]-?: FieldInfo & (K extends RequiredKeys<FieldsOf<E>> ? { required: true } : { required?: false });
  };
};

const timestamps = {
  created_at: { label: 'Created at', readOnly: true },
  updated_at: { label: 'Updated at', readOnly: true },
} as const;

export const MAPPABLE_FIELDS: Catalog = {
  contact: {
    id: { label: 'Id (primary key)', required: true },
    first_name: { label: 'First name', required: true },
    last_name: { label: 'Last name', required: true },
    email: { label: 'E-mail' },
    phone: { label: 'Phone' },
    job_title: { label: 'Job title' },
    ...timestamps,
  },
  account: {
    id: { label: 'Id (primary key)', required: true },
    name: { label: 'Name', required: true },
    domain: { label: 'Domain' },
    industry: { label: 'Industry' },
    ...timestamps,
  },
  deal: {
    id: { label: 'Id (primary key)', required: true },
    name: { label: 'Name', required: true },
    stage: { label: 'Stage', required: true, values: ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] },
    amount_minor: { label: 'Amount (minor units)', required: true },
    currency: { label: 'Currency' },
    expected_close_date: { label: 'Expected close date' },
    account_id: { label: 'Account id' },
    contact_id: { label: 'Contact id' },
    ...timestamps,
  },
  activity: {
    id: { label: 'Id (primary key)', required: true },
    type: { label: 'Type', required: true, values: ['call', 'email', 'meeting', 'task', 'note'] },
    subject: { label: 'Subject', required: true },
    body: { label: 'Body' },
    related_type: { label: 'Related to (kind)', required: true, values: ['account', 'contact', 'deal'] },
    related_id: { label: 'Related to (id)', required: true },
    due_at: { label: 'Due at' },
    completed_at: { label: 'Completed at' },
    completed: { label: 'Completed' },
    ...timestamps,
  },
  inventory_item: {
    sku: { label: 'SKU (primary key)', required: true },
    name: { label: 'Name', required: true },
    stock_on_hand: { label: 'Stock on hand', required: true },
    price_selling_minor: { label: 'Selling price (minor units)', required: true },
    currency: { label: 'Currency' },
    status: { label: 'Status', values: ['available', 'reserved', 'sold', 'archived'] },
    low_stock_threshold: { label: 'Low-stock threshold' },
    ...timestamps,
  },
};

export const ENTITY_LABELS: Record<MappableEntity, string> = {
  contact: 'Contacts',
  account: 'Accounts',
  deal: 'Deals',
  activity: 'Activities',
  inventory_item: 'Inventory items',
};

export const MAPPABLE_ENTITIES = Object.keys(ENTITY_LABELS) as MappableEntity[];

export function fieldsOf(entity: MappableEntity): Array<[string, FieldInfo]> {
  return Object.entries(MAPPABLE_FIELDS[entity]);
}
