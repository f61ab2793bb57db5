import { isISO8601, isUUID } from 'class-validator';
import { InvalidCursorError } from './record-errors';

/** A value a cursor carries: the sort value or key of a page's last row. */
export type CursorValue = string | number | boolean | null;

/** Checks one decoded position of a cursor. */
export type CursorField<T extends CursorValue> = (value: unknown) => value is T;

/**
 * Cursors are base64, which the global NUL check cannot see into, so decoded text is checked
 * here: U+0000 is no value a list ever encoded and PostgreSQL cannot take it.
 */
const text: CursorField<string> = (value): value is string => typeof value === 'string' && !value.includes('\u0000');

const scalar: CursorField<CursorValue> = (value): value is CursorValue =>
  value === null || typeof value === 'number' || typeof value === 'boolean' || text(value);

/** What each position of a cursor may hold. */
export const cursorFields = {
  text,
  /** Text any date parser reads (creation times written by `toISOString`). */
  date: ((value) => text(value) && !Number.isNaN(Date.parse(value))) as CursorField<string>,
  /** A strict ISO 8601 timestamp that is a Date (not every ISO form is), for values bound as `timestamptz`. */
  timestamp: ((value) => text(value) && isISO8601(value, { strict: true }) && !Number.isNaN(Date.parse(value))) as CursorField<string>,
  uuid: ((value) => typeof value === 'string' && isUUID(value)) as CursorField<string>,
  /** A whole number an `integer` column holds (a row number, a position). */
  integer: ((value) => Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31) as CursorField<number>,
  /** A column's scalar value as a mapped table returns it; the sort value may be null. */
  scalar,
  /** A mapped table's key: a scalar, never null. */
  key: ((value) => value !== null && scalar(value)) as CursorField<string | number | boolean>,
};

/** The position after a page's last row, as the opaque text a client sends back. */
export function encodeCursor(position: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Reads a cursor back, one check per position; anything else is InvalidCursorError (400 naming `cursor`). */
export function decodeCursor<const T extends readonly CursorValue[]>(
  cursor: string,
  fields: { readonly [K in keyof T]: CursorField<T[K]> },
): T {
  const decoded = parsed(cursor);
  if (!Array.isArray(decoded) || decoded.length !== fields.length) throw new InvalidCursorError();
  if (!fields.every((isValid, index) => isValid(decoded[index]))) throw new InvalidCursorError();
  return decoded as unknown as T;
}

function parsed(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
}
