import { decimalShape, whyColumnCannotHold } from './column-capacity';
import { IntrospectedColumn } from './introspection';
import { sourceText } from './mapped-collection';
import { UnstorableValueError } from './value-errors';

/** The record property a mapped collection answers and takes custom fields in (custom field key → value). */
export const CUSTOM_FIELDS = 'custom_fields';

/** The name a custom field goes by in answers and errors: `customFields.<key>`, the key as the client wrote it. */
export function customFieldName(key: string): string {
  return `customFields.${key}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A custom field's value as the API answers it, by its column's type: text and UUIDs as text,
 * integers as numbers (as text beyond 2^53, which a JSON number cannot carry exactly), decimals
 * as their exact text (`"1234.50"`), booleans (MySQL's 0/1 too), dates as `YYYY-MM-DD` and
 * timestamps as ISO 8601. Dates come as the pools give them: MySQL as text, PostgreSQL as a Date
 * (a date-only column at local midnight); a value no calendar has (MySQL's zero date) is null.
 */
export function customFieldFromSource(column: IntrospectedColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer': {
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : sourceText(value);
    }
    case 'boolean':
      return value === true || Number(value) === 1;
    case 'date':
      return sourceDate(value);
    case 'timestamp': {
      const instant = value instanceof Date ? value : new Date(sourceText(value));
      return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
    }
    default:
      return sourceText(value);
  }
}

/** A date column's value as `YYYY-MM-DD`; null for none or for a date no calendar has. */
export function sourceDate(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const pad = (part: number) => String(part).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (value === null || value === undefined) return null;
  const text = sourceText(value).slice(0, 10);
  return DATE.test(text) && !Number.isNaN(Date.parse(text)) ? text : null;
}

/**
 * A custom field's value as its column stores it, or UnstorableValueError (its problem for the
 * client) for a value of another kind or one the column cannot hold exactly: nothing is written
 * rounded, clipped or cast by the customer's database. null clears a column that may be empty.
 */
export function customFieldToSource(column: IntrospectedColumn, value: unknown): unknown {
  if (value === null) {
    if (!column.nullable) throw new UnstorableValueError(`cannot be cleared: column ${JSON.stringify(column.name)} is NOT NULL`);
    return null;
  }
  switch (column.type) {
    case 'text': {
      if (typeof value !== 'string') throw new UnstorableValueError('must be text');
      const why = whyColumnCannotHold(column, value);
      if (why) throw new UnstorableValueError(`cannot be stored: ${why}`);
      return value;
    }
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) throw new UnstorableValueError('must be a UUID');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new UnstorableValueError('must be a whole number');
      return value;
    case 'decimal':
      return decimalText(column, value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new UnstorableValueError('must be true or false');
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))
        throw new UnstorableValueError('must be a date (YYYY-MM-DD)');
      return value;
    case 'timestamp': {
      const instant = typeof value === 'string' && TIMESTAMP.test(value) ? new Date(value) : undefined;
      if (!instant || Number.isNaN(instant.getTime())) throw new UnstorableValueError('must be an ISO 8601 date and time');
      return instant;
    }
    default:
      // Mapping validation admits no other column type.
      throw new UnstorableValueError(`cannot be written to a ${column.rawType} column`);
  }
}

/** A number or decimal text the column's declared precision and scale hold exactly, as text (never through a float). */
function decimalText(column: IntrospectedColumn, value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text))
    throw new UnstorableValueError('must be a decimal number (as a number or as text such as "12.50")');
  const shape = decimalShape(column);
  if (shape) {
    const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
    if (fraction.replace(/0+$/, '').length > shape.scale)
      throw new UnstorableValueError(`has more than the ${shape.scale} decimal places column ${JSON.stringify(column.name)} holds`);
    if (whole.replace(/^0+/, '').length > shape.precision - shape.scale)
      throw new UnstorableValueError(`has more whole digits than column ${JSON.stringify(column.name)} (${column.rawType}) holds`);
  }
  return text;
}
