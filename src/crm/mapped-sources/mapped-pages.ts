import { CUSTOM_FIELDS, MappedRecord, MappedCollection, PageRequest, UnmappedFieldError } from '../../../libs/byod';
import { cursorFields, CursorValue, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { RecordNotFoundError } from '../../../libs/tenancy/records/record-errors';
import { splitSort } from '../../../libs/tenancy/records/sort-order';
import { Page } from '../../platform/pagination/cursor-pagination';

/** One page of a mapped table: `limit + 1` rows fetched, the cursor the last row's sort position. */
export async function mappedPage<T>(
  table: MappedCollection,
  request: Omit<PageRequest, 'after' | 'limit'>,
  query: { limit: number; cursor?: string },
  toDto: (record: MappedRecord) => T,
): Promise<Page<T>> {
  const rows = await table.list({ ...request, after: query.cursor ? decodePosition(query.cursor) : undefined, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toDto(row.record)),
    nextCursor: rows.length > query.limit && last ? encodePosition(last.position) : null,
  };
}

/**
 * The API's sort (`name`, `-name`) as a sort of the customer's table: `fields` maps the API's sort
 * keys to mapped fields (an unmapped one is a 409), `createdAt` sorts by the mapped creation time;
 * a table without one, like any other key, sorts by `fallback` (the order such lists always had).
 */
export function mappedSort(table: MappedCollection, sort: string, fields: Record<string, string>, fallback: string): PageRequest['sort'] {
  const { property, direction } = splitSort(sort);
  if (property === 'createdAt' && table.has('created_at')) return { field: 'created_at', direction };
  return { field: Object.hasOwn(fields, property) ? fields[property] : fallback, direction };
}

/** The custom fields a record carries: the extra columns its mapping declares, none without. */
export function mappedCustomFields(record: MappedRecord): Record<string, unknown> {
  return (record[CUSTOM_FIELDS] as Record<string, unknown> | undefined) ?? {};
}

/** The record a get or an update found, or a 404 naming what was asked for. */
export async function recordOrFail(found: Promise<MappedRecord | null>, what: string): Promise<MappedRecord> {
  const record = await found;
  if (!record) throw new RecordNotFoundError(`${what} not found`);
  return record;
}

/**
 * The fields of a create or a patch that were sent, refused (409 naming the first) when the
 * tenant's mapping has no place for one, before anything is written to the customer's system.
 */
export function mappedFields(table: MappedCollection, record: MappedRecord): MappedRecord {
  // A field left undefined was not sent: leave it as it is.
  const sent = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
  const unmapped = Object.keys(sent).find((field) => !table.has(field));
  if (unmapped) throw new UnmappedFieldError(unmapped);
  return sent;
}

function encodePosition(position: { sortValue: unknown; key: unknown }): string {
  return encodeCursor([position.sortValue as CursorValue, position.key as CursorValue]);
}

/** What encodePosition wrote: a column's scalar sort value (null too) and the row's key. */
function decodePosition(cursor: string): { sortValue: CursorValue; key: string | number | boolean } {
  const [sortValue, key] = decodeCursor(cursor, [cursorFields.scalar, cursorFields.key]);
  return { sortValue, key };
}
