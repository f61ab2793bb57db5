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
}

export type EntityDefinitions = Record<string, Record<string, FieldDefinition>>;

export type MappedValue = string | number | boolean;

export interface EntityMapping {
  table: string;
  /** our field → their column */
  fields: Record<string, string>;
  /** our field → (our value → their value) */
  valueMaps?: Record<string, Record<string, MappedValue>>;
  /** our field → the tenant's own rules for it, checked before every write (seed 000's per-client validations) */
  validations?: Record<string, FieldRule>;
}

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
    checkValueMaps(problems, path, definition, mapping);
    checkRules(problems, path, definition, mapping);
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
    }
  }
  for (const [field, ours] of Object.entries(definition)) {
    if (ours.required && !Object.hasOwn(mapping.fields, field)) problems.add(`${path}.fields.${field}`, 'is required but not mapped');
  }
}

function checkValueMaps(problems: ProblemList, path: string, definition: Record<string, FieldDefinition>, mapping: EntityMapping): void {
  const valueMaps = mapping.valueMaps ?? {};
  for (const [field, ours] of Object.entries(definition)) {
    if (!ours.enum || !Object.hasOwn(mapping.fields, field)) continue;
    const at = `${path}.valueMaps.${field}`;
    const valueMap = own(valueMaps, field);
    if (!valueMap) {
      problems.add(at, `is required when ${field} is mapped: give the source's value for each of ${ours.enum.join(', ')}`);
      continue;
    }
    const missing = ours.enum.filter((value) => !Object.hasOwn(valueMap, value));
    if (missing.length > 0) problems.add(at, `has no value for ${missing.join(', ')}`);
    const theirs = Object.values(valueMap).map((value) => JSON.stringify(value));
    const repeated = theirs.filter((value, index) => theirs.indexOf(value) !== index);
    // Reading back must be unambiguous: one source value cannot stand for two of ours.
    if (repeated.length > 0) problems.add(at, `source values must be distinct; repeated: ${[...new Set(repeated)].join(', ')}`);
  }
  for (const [field, valueMap] of Object.entries(valueMaps)) {
    const at = `${path}.valueMaps.${field}`;
    const ours = own(definition, field);
    if (!ours?.enum) {
      problems.add(at, `${field} has no enumerated values to map`);
      continue;
    }
    if (!Object.hasOwn(mapping.fields, field)) problems.add(at, `${field} is not mapped to a column`);
    const unknown = Object.keys(valueMap).filter((value) => !ours.enum!.includes(value));
    if (unknown.length > 0)
      problems.add(
        at,
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a value' : 'are not values'} of ${field} (${ours.enum.join(', ')})`,
      );
  }
}

function checkRules(problems: ProblemList, path: string, definition: Record<string, FieldDefinition>, mapping: EntityMapping): void {
  for (const [field, rule] of Object.entries(mapping.validations ?? {})) {
    const at = `${path}.validations.${field}`;
    const ours = own(definition, field);
    if (!ours) problems.add(at, `${field} is not a field of ${path.slice('mappings.'.length)}`);
    else if (!Object.hasOwn(mapping.fields, field)) problems.add(at, `${field} is not mapped to a column`);
    else for (const problem of ruleProblems(rule, ours)) problems.add(at, problem);
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
