import { MappedRecord } from './mapped-collection';
import { FieldDefinition } from './mapping-validation';

/** A tenant's own rule for one of our fields, checked before any write reaches its system. */
export interface FieldRule {
  required?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  oneOf?: Array<string | number>;
}

export const RULE_KEYS = ['required', 'min', 'max', 'minLength', 'maxLength', 'oneOf'] as const;

export interface RuleViolation {
  field: string;
  problems: string[];
}

/** Whether each rule fits the field it is set on (numbers for numeric fields, lengths for text); problems by rule. */
export function ruleProblems(rule: FieldRule, definition: FieldDefinition): string[] {
  const problems: string[] = [];
  const numeric = definition.accepts.every((type) => type === 'integer' || type === 'decimal');
  for (const key of Object.keys(rule))
    if (!(RULE_KEYS as readonly string[]).includes(key)) problems.push(`${key} is not a rule (known: ${RULE_KEYS.join(', ')})`);
  if ((rule.min !== undefined || rule.max !== undefined) && !numeric) problems.push('min and max are for numeric fields');
  if ((rule.minLength !== undefined || rule.maxLength !== undefined) && numeric)
    problems.push('minLength and maxLength are for text fields');
  if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) problems.push('min is greater than max');
  if (rule.minLength !== undefined && rule.maxLength !== undefined && rule.minLength > rule.maxLength)
    problems.push('minLength is greater than maxLength');
  problems.push(...unproducibleChoices(rule, definition, numeric));
  return problems;
}

/**
 * A `oneOf` value the field can never hold would make the rule refuse what the tenant meant to allow, or
 * allow nothing: each must be of the field's kind (numbers for numeric fields, whole for integer ones,
 * text otherwise) and, for a field with a fixed set of values, one of them.
 */
function unproducibleChoices(rule: FieldRule, definition: FieldDefinition, numeric: boolean): string[] {
  if (rule.oneOf === undefined) return [];
  const integer = definition.accepts.every((type) => type === 'integer');
  // A field mapped onto either a number or a text column (a record key) may hold either kind.
  const textual = definition.accepts.every((type) => type !== 'integer' && type !== 'decimal');
  const impossible = rule.oneOf.filter((value) => {
    if (numeric) return typeof value !== 'number' || (integer && !Number.isInteger(value));
    if (!textual) return typeof value !== 'string' && typeof value !== 'number';
    return typeof value !== 'string' || (definition.enum !== undefined && !definition.enum.includes(value));
  });
  if (impossible.length === 0) return [];
  const kind = definition.enum ? `one of ${definition.enum.join(', ')}` : numeric ? (integer ? 'a whole number' : 'a number') : 'text';
  return [`oneOf has values the field can never hold (${impossible.join(', ')}): each must be ${kind}`];
}

/**
 * Checks a record about to be written. A new record (`complete`) must have every required field;
 * a change only the fields it sends, and may not clear a required one.
 */
export function violations(rules: Record<string, FieldRule>, record: MappedRecord, complete: boolean): RuleViolation[] {
  const found: RuleViolation[] = [];
  // In field order: stored rules (jsonb) do not keep the order they were written in.
  for (const [field, rule] of Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))) {
    const sent = Object.hasOwn(record, field) && record[field] !== undefined;
    const value = sent ? record[field] : undefined;
    const problems: string[] = [];
    const empty = value === null || value === undefined || value === '';
    if (rule.required && empty && (complete || sent)) problems.push('is required by this tenant');
    if (!empty) {
      if (typeof value === 'number') {
        if (rule.min !== undefined && value < rule.min) problems.push(`must be at least ${rule.min} for this tenant`);
        if (rule.max !== undefined && value > rule.max) problems.push(`must be at most ${rule.max} for this tenant`);
      }
      if (typeof value === 'string') {
        if (rule.minLength !== undefined && value.length < rule.minLength)
          problems.push(`must be at least ${rule.minLength} characters for this tenant`);
        if (rule.maxLength !== undefined && value.length > rule.maxLength)
          problems.push(`must be at most ${rule.maxLength} characters for this tenant`);
      }
      if (rule.oneOf && !rule.oneOf.some((allowed) => allowed === value))
        problems.push(`must be one of ${rule.oneOf.join(', ')} for this tenant`);
    }
    if (problems.length) found.push({ field, problems });
  }
  return found;
}
