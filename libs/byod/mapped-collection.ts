import { EntityMapping, MappedValue } from './mapping-validation';

/** Converts one field between our representation and the customer's (e.g. minor units ↔ a decimal). */
export interface FieldCodec {
  toSource(value: unknown): unknown;
  fromSource(value: unknown): unknown;
}

export type MappedRecord = Record<string, unknown>;

/** A source's value as text: sources give scalars (text, numbers, booleans, dates), written as String() writes them. */
export function sourceText(value: unknown): string {
  return String(value);
}

export type Condition =
  | { field: string; op: '=' | '<' | '<=' | '>' | '>='; value: unknown }
  /** Case-insensitive substring of any of the fields. */
  | { fields: string[]; op: 'contains'; value: string }
  /** One field compared with another (e.g. stock at or below its threshold). */
  | { field: string; op: '<=field' | '>field'; other: string };

export interface PageRequest {
  conditions: Condition[];
  sort: { field: string; direction: 'ASC' | 'DESC' };
  /** Continue after this position of an earlier page (as `ListedRow.position` gave it). */
  after?: { sortValue: unknown; key: unknown };
  limit: number;
}

export interface ListedRow {
  record: MappedRecord;
  /** Where this row is in the order, for the next page's `after`. */
  position: { sortValue: unknown; key: unknown };
}

/**
 * One of our entities kept in a customer's system, read and written in our field names: a SQL
 * table (`MappedTable`) or a REST resource (`RestCollection`). Fields the mapping leaves out are
 * absent from records and refused (UnmappedFieldError) in conditions and writes.
 */
export interface MappedCollection {
  has(field: string): boolean;
  list(page: PageRequest): Promise<ListedRow[]>;
  get(key: unknown): Promise<MappedRecord | null>;
  /** Without the key field, the customer's system generates the key. */
  insert(record: MappedRecord): Promise<MappedRecord>;
  update(key: unknown, patch: MappedRecord): Promise<MappedRecord | null>;
  /** Adds `delta` only while the field stays at or above `floor`, atomically; null when it would not. */
  increment(key: unknown, field: string, delta: number, floor: number): Promise<MappedRecord | null>;
  delete(key: unknown): Promise<boolean>;
  /** How many records there are, counting no further than `limit` (a quota's check needs no more). */
  countUpTo(limit: number): Promise<number>;
}

/** A request needs a field the tenant's mapping does not provide. */
export class UnmappedFieldError extends Error {
  constructor(readonly field: string) {
    super(`The field ${field} is not mapped to the tenant's data source`);
    this.name = 'UnmappedFieldError';
  }
}

/** The customer's system cannot do what the request needs (e.g. an atomic change over REST). */
export class UnsupportedBySourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedBySourceError';
  }
}

/** Value maps (our enumeration ↔ theirs) and codecs, both ways, for one mapping. */
export class FieldTranslation {
  constructor(
    private readonly mapping: EntityMapping,
    private readonly codecs: Record<string, FieldCodec> = {},
  ) {}

  toSource(field: string, value: unknown): unknown {
    const map = this.mapping.valueMaps?.[field];
    const mapped = map && typeof value === 'string' && Object.hasOwn(map, value) ? map[value] : value;
    return this.codecs[field] ? this.codecs[field].toSource(mapped) : mapped;
  }

  fromSource(field: string, value: unknown): unknown {
    const converted = this.codecs[field] ? this.codecs[field].fromSource(value) : value;
    const map = this.mapping.valueMaps?.[field];
    if (!map) return converted;
    const ours = Object.entries(map).find(([, theirs]) => sameValue(theirs, converted));
    return ours ? ours[0] : converted;
  }
}

function sameValue(theirs: MappedValue, value: unknown): boolean {
  return theirs === value || String(theirs) === String(value);
}
