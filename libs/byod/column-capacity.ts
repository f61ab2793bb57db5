import { IntrospectedColumn } from './introspection';
import { MappedValue } from './mapping-validation';

export interface DecimalShape {
  precision: number;
  scale: number;
}

/**
 * A decimal column's declared precision and scale; undefined when it has none (PostgreSQL's
 * unconstrained `numeric`). Introspections stored before these were read have only the raw
 * type (`decimal(12,2)`, `numeric(12)`, whose scale is 0), which says the same.
 */
export function decimalShape(column: IntrospectedColumn): DecimalShape | undefined {
  if (column.type !== 'decimal') return undefined;
  if (column.precision !== undefined) return { precision: column.precision, scale: column.scale ?? 0 };
  const match = /^(?:decimal|numeric)\((\d+)(?:,\s*(\d+))?\)/i.exec(column.rawType.trim());
  return match ? { precision: Number(match[1]), scale: Number(match[2] ?? 0) } : undefined;
}

/**
 * Why the column cannot hold `value` written as it is: outside its ENUM, SET or CHECK list, or
 * longer than its length. Undefined when it can, or when the introspection does not say (a free
 * column, or one introspected before these limits were read).
 */
export function whyColumnCannotHold(column: IntrospectedColumn, value: MappedValue): string | undefined {
  const text = String(value);
  const allowed = column.allowedValues;
  if (allowed) {
    // A SET holds any combination of its members, written comma-joined.
    const parts = allowed.from === 'set' ? text.split(',') : [text];
    if (!parts.every((part) => allowed.members.includes(part)))
      return `it is not one of the values its ${allowed.from === 'check' ? 'CHECK constraint' : allowed.from.toUpperCase()} allows (${allowed.members.join(', ')})`;
  }
  if (column.maxLength !== undefined && text.length > column.maxLength)
    return `it is ${text.length} characters long and the column holds at most ${column.maxLength}`;
  return undefined;
}
