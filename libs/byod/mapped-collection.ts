import { CounterChange } from './counter-change';
import { EntityMapping, FALLBACK_KEY, MappedValue, UNMAPPED_VALUE } from './mapping-validation';
import { InexactSourceValueError, UnstorableValueError } from './value-errors';

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
  /** Changes a counter and the fields following it in one atomic step (see CounterChange); null when the record is missing or refused it. */
  increment(key: unknown, change: CounterChange): Promise<MappedRecord | null>;
  /**
   * Deletes the record with this key; answers its key as the customer's system holds it (`010` names 10, and a
   * case-insensitive collation finds `S-1` for `s-1`), as text, or null when there was none.
   */
  delete(key: unknown): Promise<string | null>;
  /** How many records there are, counting no further than `limit` (a quota's check needs no more). */
  countUpTo(limit: number): Promise<number>;
  /**
   * The customer's system's current time, as it gives the field's values (the way a cursor carries a sort value),
   * read by its own clock and in the field's own terms (with or without a zone): what is stamped later is in the
   * future. Undefined when the system cannot say (an API).
   */
  currentTime(field: string): Promise<unknown>;
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

/**
 * Which source values an equality filter on a value-mapped field selects: those equal to one of
 * `values` (already in the source's representation), and, with `unknown`, every non-null value
 * outside the value map (they read as the fallback, or as `unmapped`).
 */
export interface SourceMatch {
  values: unknown[];
  unknown: boolean;
  /** Every value the map knows, in the source's representation: what "unknown" is outside of. */
  known: unknown[];
}

/**
 * Value maps (our enumeration ↔ theirs) and codecs, both ways, for one mapping. A source value
 * outside a field's value map reads as the map's fallback (`*`), or as `unmapped`; a value of ours
 * the map has no source value for (`unmapped` included) cannot be written.
 */
export class FieldTranslation {
  constructor(
    private readonly mapping: EntityMapping,
    private readonly codecs: Record<string, FieldCodec> = {},
  ) {}

  toSource(field: string, value: unknown): unknown {
    const map = this.valueMap(field);
    let mapped = value;
    if (map && typeof value === 'string') {
      if (!this.mapsOurs(map, value))
        throw new UnstorableValueError(
          value === UNMAPPED_VALUE
            ? `${UNMAPPED_VALUE} stands for source values outside the tenant's value map; it cannot be written`
            : `${JSON.stringify(value)} has no value in the tenant's value map`,
          field,
        );
      mapped = map[value];
    }
    return this.named(field, () => (this.codecs[field] ? this.codecs[field].toSource(mapped) : mapped));
  }

  fromSource(field: string, value: unknown): unknown {
    const converted = this.named(field, () => (this.codecs[field] ? this.codecs[field].fromSource(value) : value));
    const map = this.valueMap(field);
    if (!map || converted === null || converted === undefined) return converted;
    const ours = Object.entries(map).find(([key, theirs]) => key !== FALLBACK_KEY && sameValue(theirs, converted));
    if (ours) return ours[0];
    const fallback = map[FALLBACK_KEY];
    return typeof fallback === 'string' ? fallback : UNMAPPED_VALUE;
  }

  /** How `field = value` reads in source values; undefined for a field without a value map (compare the converted value). */
  sourceMatch(field: string, value: unknown): SourceMatch | undefined {
    const map = this.valueMap(field);
    if (!map) return undefined;
    const ours = Object.keys(map).filter((key) => key !== FALLBACK_KEY);
    const known = ours.map((key) => this.toSource(field, key));
    const readsAsUnknown = map[FALLBACK_KEY] ?? UNMAPPED_VALUE;
    const values = typeof value === 'string' && this.mapsOurs(map, value) ? [this.toSource(field, value)] : [];
    return { values, unknown: value === readsAsUnknown, known };
  }

  private valueMap(field: string): Record<string, MappedValue> | undefined {
    const maps = this.mapping.valueMaps;
    return maps && Object.hasOwn(maps, field) ? maps[field] : undefined;
  }

  private mapsOurs(map: Record<string, MappedValue>, value: string): boolean {
    return value !== FALLBACK_KEY && Object.hasOwn(map, value);
  }

  /** A codec knows values, not fields: its refusals are named here. */
  private named<T>(field: string, convert: () => T): T {
    try {
      return convert();
    } catch (error) {
      if ((error instanceof UnstorableValueError || error instanceof InexactSourceValueError) && error.field === undefined)
        throw error.naming(field);
      throw error;
    }
  }
}

function sameValue(theirs: MappedValue, value: unknown): boolean {
  return theirs === value || String(theirs) === String(value);
}
