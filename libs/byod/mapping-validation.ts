import { decimalShape, whyColumnCannotHold } from './column-capacity';
import { FieldRule, ruleProblems } from './field-rules';
import { ColumnType, Introspection, IntrospectedColumn } from './introspection';

/** Our side of a mapping: what the application knows about one entity's fields. */
export interface FieldDefinition {
  /** The column types that can hold this field's values. */
  accepts: readonly ColumnType[];
  required: boolean;
  /** Enumerated values; mapping such a field needs a value map covering every one. */
  enum?: readonly string[];
  /** The field that identifies a record: it must be mapped to the table's (single-column) primary key. */
  key?: boolean;
  /**
   * An integer field counting hundredths (2) or other fractions of a unit, such as minor units of
   * money: a decimal column holds it in whole units, so it may have at most this many decimal
   * places, or reading it back would need rounding.
   */
  decimalPlaces?: number;
  /**
   * Kept by the customer's system alone (a creation time its default sets, a change time its
   * trigger moves): read, never written by us, so no tenant rule may target it.
   */
  readOnly?: boolean;
}

export type EntityDefinitions = Record<string, Record<string, FieldDefinition>>;

export type MappedValue = string | number | boolean;

export interface EntityMapping {
  table: string;
  /** our field → their column */
  fields: Record<string, string>;
  /**
   * our field → (our value → their value). The reserved key `*` (FALLBACK_KEY) names instead the
   * value of ours that any other source value reads as; without it, such values read as `unmapped`.
   */
  valueMaps?: Record<string, Record<string, MappedValue>>;
  /** our field → the tenant's own rules for it, checked before every write (seed 000's per-client validations) */
  validations?: Record<string, FieldRule>;
  /** custom field key → their column: extra columns of the table, answered and written as the record's custom fields */
  customFields?: Record<string, string>;
}

/** What a custom field's key may be, here as for custom fields defined in Tenantry. */
export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** The column types a custom field can be read from and written to as a JSON value. */
export const CUSTOM_FIELD_COLUMN_TYPES: readonly ColumnType[] = ['text', 'integer', 'decimal', 'boolean', 'date', 'timestamp', 'uuid'];

/** The value-map key whose value is ours: what source values outside the map read as. */
export const FALLBACK_KEY = '*';

/** What a source value outside a field's value map reads as when the map declares no fallback; it cannot be written. */
export const UNMAPPED_VALUE = 'unmapped';

export interface MappingProblem {
  field: string;
  problems: string[];
}

/**
 * Checks each entity's mapping against what introspection found. Names are compared exactly,
 * so anything that is not literally a reported table or column (an injection attempt included)
 * is simply unknown. Returns every problem, grouped by the request field at fault.
 */
export function validateMappings(
  definitions: EntityDefinitions,
  introspection: Introspection,
  mappings: Record<string, EntityMapping>,
  /** The entities whose records carry custom fields: only their mappings may declare some. */
  withCustomFields: readonly string[] = [],
): MappingProblem[] {
  const problems = new ProblemList();
  for (const [entity, mapping] of Object.entries(mappings)) {
    const path = `mappings.${entity}`;
    const definition = own(definitions, entity);
    if (!definition) {
      problems.add(path, `is not a mappable entity (known: ${Object.keys(definitions).join(', ')})`);
      continue;
    }
    const table = introspection.tables.find((candidate) => candidate.name === mapping.table);
    if (!table) problems.add(`${path}.table`, `table ${JSON.stringify(mapping.table)} does not exist in the source`);
    checkFields(problems, path, definition, mapping, introspection, table?.columns);
    checkValueMaps(problems, path, definition, mapping, table?.columns);
    checkRules(problems, path, definition, mapping);
    if (mapping.customFields) checkCustomFields(problems, path, mapping, introspection, withCustomFields.includes(entity), table?.columns);
  }
  return problems.list();
}

/** A REST API names its records by path (`/{resource}/{key}`); there is no primary key to check the key field against. */
function checkFields(
  problems: ProblemList,
  path: string,
  definition: Record<string, FieldDefinition>,
  mapping: EntityMapping,
  introspection: Introspection,
  columns?: IntrospectedColumn[],
): void {
  const mappedBy = new Map<string, string>();
  for (const [field, columnName] of Object.entries(mapping.fields)) {
    const at = `${path}.fields.${field}`;
    const ours = own(definition, field);
    if (!ours) {
      problems.add(at, `is not a field of ${path.slice('mappings.'.length)} (known: ${Object.keys(definition).join(', ')})`);
      continue;
    }
    const earlier = mappedBy.get(columnName);
    if (earlier !== undefined) problems.add(at, `column ${JSON.stringify(columnName)} is already mapped to ${earlier}`);
    else mappedBy.set(columnName, field);
    // Without the table there is nothing to compare columns with; the table problem says why.
    if (!columns) continue;
    const column = columns.find((candidate) => candidate.name === columnName);
    if (!column) {
      problems.add(at, `column ${JSON.stringify(columnName)} does not exist in table ${JSON.stringify(mapping.table)}`);
    } else if (!ours.accepts.includes(column.type)) {
      problems.add(
        at,
        `column ${JSON.stringify(columnName)} is ${column.type} (${column.rawType}); this field needs ${ours.accepts.join(' or ')}`,
      );
    } else if (
      ours.key &&
      introspection.kind !== 'rest' &&
      (!column.primaryKey || columns.filter((candidate) => candidate.primaryKey).length !== 1)
    ) {
      problems.add(
        at,
        `identifies records, so it must be mapped to the table's single-column primary key; ${JSON.stringify(columnName)} is not`,
      );
    } else if (ours.decimalPlaces !== undefined && introspection.kind !== 'rest') {
      const problem = finerThanField(column, ours.decimalPlaces);
      if (problem) problems.add(at, problem);
    }
  }
  for (const [field, ours] of Object.entries(definition)) {
    if (ours.required && !Object.hasOwn(mapping.fields, field)) problems.add(`${path}.fields.${field}`, 'is required but not mapped');
  }
}

/**
 * A decimal column with more decimal places than the field counts (or none declared) can hold
 * values the field cannot express: they could only be answered rounded, so the mapping is refused.
 * A REST source declares no scale; its JSON numbers are checked when read.
 */
function finerThanField(column: IntrospectedColumn, decimalPlaces: number): string | undefined {
  if (column.type !== 'decimal') return undefined;
  const shape = decimalShape(column);
  const field = `this field counts whole ${decimalPlaces === 2 ? 'hundredths (minor units)' : `units of 10^-${decimalPlaces}`}`;
  if (!shape)
    return `column ${JSON.stringify(column.name)} is ${column.rawType} without a declared scale, so it can hold fractions ${field} cannot express without rounding; map a column with at most ${decimalPlaces} decimal places`;
  if (shape.scale > decimalPlaces)
    return `column ${JSON.stringify(column.name)} is ${column.rawType}: its ${shape.scale} decimal places can hold values ${field} cannot express without rounding; map a column with at most ${decimalPlaces} decimal places`;
  return undefined;
}

/**
 * Every enumerated field that is mapped needs a value map giving the source's value for each of
 * ours, distinct (reading back must be unambiguous), each one its column can hold (ENUM/SET/CHECK
 * members, length), plus optionally a fallback (`*`) that is one of ours.
 */
function checkValueMaps(
  problems: ProblemList,
  path: string,
  definition: Record<string, FieldDefinition>,
  mapping: EntityMapping,
  columns?: IntrospectedColumn[],
): void {
  const valueMaps = mapping.valueMaps ?? {};
  for (const [field, ours] of Object.entries(definition)) {
    if (!ours.enum || !Object.hasOwn(mapping.fields, field)) continue;
    const at = `${path}.valueMaps.${field}`;
    const column = columns?.find((candidate) => candidate.name === mapping.fields[field]);
    const valueMap = own(valueMaps, field);
    if (!valueMap) {
      problems.add(
        at,
        `is required when ${field} is mapped: give the source's value for each of ${ours.enum.join(', ')}${membersHint(column, ours.enum)}`,
      );
      continue;
    }
    const targets = Object.entries(valueMap).filter(([value]) => value !== FALLBACK_KEY);
    const missing = ours.enum.filter((value) => !Object.hasOwn(valueMap, value));
    if (missing.length > 0) problems.add(at, `has no value for ${missing.join(', ')}`);
    const theirs = targets.map(([, value]) => JSON.stringify(value));
    const repeated = theirs.filter((value, index) => theirs.indexOf(value) !== index);
    if (repeated.length > 0) problems.add(at, `source values must be distinct; repeated: ${[...new Set(repeated)].join(', ')}`);
    for (const [value, target] of targets) {
      const why = column && whyColumnCannotHold(column, target);
      if (why)
        problems.add(at, `maps ${value} to ${JSON.stringify(target)}, which column ${JSON.stringify(column.name)} cannot hold: ${why}`);
    }
    const fallback = own(valueMap, FALLBACK_KEY);
    if (fallback !== undefined && (typeof fallback !== 'string' || !ours.enum.includes(fallback)))
      problems.add(
        at,
        `"${FALLBACK_KEY}" names the value source values outside the map read as, so it must be one of ${ours.enum.join(', ')}; without it they read as ${UNMAPPED_VALUE}`,
      );
  }
  for (const [field, valueMap] of Object.entries(valueMaps)) {
    const at = `${path}.valueMaps.${field}`;
    const ours = own(definition, field);
    if (!ours?.enum) {
      problems.add(at, `${field} has no enumerated values to map`);
      continue;
    }
    if (!Object.hasOwn(mapping.fields, field)) problems.add(at, `${field} is not mapped to a column`);
    const unknown = Object.keys(valueMap).filter((value) => value !== FALLBACK_KEY && !ours.enum!.includes(value));
    if (unknown.length > 0)
      problems.add(
        at,
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a value' : 'are not values'} of ${field} (${ours.enum.join(', ')})`,
      );
  }
}

/** For a column that lists its values: which of ours it lacks, so the missing map's problem says what to map. */
function membersHint(column: IntrospectedColumn | undefined, values: readonly string[]): string {
  if (!column || (!column.allowedValues && column.maxLength === undefined)) return '';
  const lacking = values.filter((value) => whyColumnCannotHold(column, value) !== undefined);
  if (lacking.length === 0) return ` (the column holds them all as they are: map each to itself)`;
  return `; column ${JSON.stringify(column.name)} cannot hold ${lacking.join(', ')} as they are`;
}

function checkRules(problems: ProblemList, path: string, definition: Record<string, FieldDefinition>, mapping: EntityMapping): void {
  for (const [field, rule] of Object.entries(mapping.validations ?? {})) {
    const at = `${path}.validations.${field}`;
    const ours = own(definition, field);
    if (!ours) problems.add(at, `${field} is not a field of ${path.slice('mappings.'.length)}`);
    else if (ours.readOnly) problems.add(at, `${field} is kept by the customer's system and never written here, so no rule can apply`);
    else if (!Object.hasOwn(mapping.fields, field)) problems.add(at, `${field} is not mapped to a column`);
    else for (const problem of ruleProblems(rule, ours)) problems.add(at, problem);
  }
}

/**
 * Extra columns answered as custom fields: each key a valid custom field key, each column one of
 * the table's that no field (or other key) maps and whose values cross as JSON. A REST source's
 * sampled properties carry no column limits to check writes against, so it declares none.
 */
function checkCustomFields(
  problems: ProblemList,
  path: string,
  mapping: EntityMapping,
  introspection: Introspection,
  entityTakesThem: boolean,
  columns?: IntrospectedColumn[],
): void {
  const entity = path.slice('mappings.'.length);
  if (!entityTakesThem) {
    problems.add(`${path}.customFields`, `${entity} records have no custom fields`);
    return;
  }
  if (introspection.kind === 'rest') {
    problems.add(`${path}.customFields`, 'are only for database sources, not REST');
    return;
  }
  const mappedBy = new Map(Object.entries(mapping.fields).map(([field, column]) => [column, `fields.${field}`]));
  for (const [key, columnName] of Object.entries(mapping.customFields ?? {})) {
    const at = `${path}.customFields.${key}`;
    if (!CUSTOM_FIELD_KEY.test(key)) problems.add(at, `is not a custom field key: it must match ${CUSTOM_FIELD_KEY.source}`);
    const earlier = mappedBy.get(columnName);
    if (earlier !== undefined) problems.add(at, `column ${JSON.stringify(columnName)} is already mapped to ${earlier}`);
    else mappedBy.set(columnName, `customFields.${key}`);
    if (!columns) continue;
    const column = columns.find((candidate) => candidate.name === columnName);
    if (!column) problems.add(at, `column ${JSON.stringify(columnName)} does not exist in table ${JSON.stringify(mapping.table)}`);
    else if (!CUSTOM_FIELD_COLUMN_TYPES.includes(column.type))
      problems.add(
        at,
        `column ${JSON.stringify(columnName)} is ${column.type} (${column.rawType}); a custom field needs ${CUSTOM_FIELD_COLUMN_TYPES.join(', ')}`,
      );
  }
}

/** Request keys such as `constructor` must not find Object.prototype's members. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

class ProblemList {
  private readonly byField = new Map<string, string[]>();

  add(field: string, problem: string): void {
    const existing = this.byField.get(field);
    if (existing) existing.push(problem);
    else this.byField.set(field, [problem]);
  }

  list(): MappingProblem[] {
    return [...this.byField].map(([field, problems]) => ({ field, problems }));
  }
}
