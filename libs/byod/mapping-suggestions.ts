import { whyColumnCannotHold } from './column-capacity';
import { IntrospectedColumn, IntrospectedTable, Introspection } from './introspection';
import { EntityDefinitions, EntityMapping, FieldDefinition, MappingProblem, validateMappings } from './mapping-validation';
import { nameSimilarity } from './name-similarity';

/** How sure a proposal is (a percentage, 0–100) and why it was made, for the person confirming it. */
export interface Proposal {
  confidence: number;
  reason: string;
}

export interface FieldProposal extends Proposal {
  column: string;
}

export interface ValueProposal extends Proposal {
  /** A value the column lists or holds (as text). */
  value: string;
}

export interface EntitySuggestion {
  /** The table that fits best; null when no table has a primary key and columns for the entity. */
  table: string | null;
  confidence: number;
  /** The proposed mapping (as PUT …/mappings takes it); null without a table. */
  mapping: EntityMapping | null;
  /** The mapping passes the mapping checks as it is: every required field and fixed value has a proposal. */
  complete: boolean;
  fields: Record<string, FieldProposal>;
  /** our field → our value → the proposed source value. */
  valueMaps: Record<string, Record<string, ValueProposal>>;
  /** What has no proposal, and why (fields by name, values as `field.value`). */
  unmatched: Array<{ field: string; required: boolean; reason: string }>;
  /** What the mapping checks would refuse in the proposal as it is. */
  problems: MappingProblem[];
}

/** A column's distinct values (a small sample); null when it holds more than a value map could list. */
export type ValueSampler = (table: string, column: string) => Promise<string[] | null>;

/** Below this a name match is no evidence. */
const MIN_NAME_SCORE = 0.4;
/** Below this a table is not proposed for an entity. */
const MIN_TABLE_SCORE = 0.3;

/**
 * Proposes, for each entity of `definitions`, the table and columns of the introspected source
 * that fit it best: the key field on the table's primary key; each other field on the column
 * whose name is most alike (words, synonyms, abbreviations) among those whose type the field
 * accepts and that the mapping checks would take; each table at most once. For a field with
 * fixed values, the column's listed values (ENUM, CHECK) or its sampled distinct values are
 * matched to ours; a free-text column may hold a value of ours no row has yet as it is. Nothing
 * is stored: the caller shows the proposal for a person to confirm.
 */
export async function suggestMappings(
  definitions: EntityDefinitions,
  introspection: Introspection,
  sample: ValueSampler,
): Promise<Record<string, EntitySuggestion>> {
  const candidates = Object.entries(definitions).flatMap(([entity, definition]) =>
    introspection.tables.map((table) => ({ entity, table, ...fieldsFor(entity, definition, table, introspection) })),
  );
  candidates.sort((a, b) => b.score - a.score);
  const chosen = new Map<string, (typeof candidates)[number]>();
  const usedTables = new Set<string>();
  for (const candidate of candidates) {
    if (candidate.score < MIN_TABLE_SCORE || chosen.has(candidate.entity) || usedTables.has(candidate.table.name)) continue;
    chosen.set(candidate.entity, candidate);
    usedTables.add(candidate.table.name);
  }
  const suggestions: Record<string, EntitySuggestion> = {};
  for (const [entity, definition] of Object.entries(definitions)) {
    const candidate = chosen.get(entity);
    suggestions[entity] = candidate
      ? await completed(entity, definition, candidate.table, candidate.fields, candidate.score, introspection, sample)
      : {
          table: null,
          confidence: 0,
          mapping: null,
          complete: false,
          fields: {},
          valueMaps: {},
          unmatched: [{ field: entity, required: true, reason: 'no table has a primary key and columns that fit this entity' }],
          problems: [],
        };
  }
  return suggestions;
}

/**
 * The best columns of `table` for the entity's fields, and how well the table fits (0 when its key
 * does not): how alike its columns are to the required fields, how many of its columns the entity
 * explains, and how alike the names of table and entity are.
 */
function fieldsFor(
  entity: string,
  definition: Record<string, FieldDefinition>,
  table: IntrospectedTable,
  introspection: Introspection,
): { fields: Record<string, FieldProposal>; score: number } {
  const pairs: Array<{ field: string } & FieldProposal> = [];
  for (const [field, ours] of Object.entries(definition))
    for (const column of table.columns) {
      if (!fits(entity, field, ours, table, column, introspection)) continue;
      if (ours.key) {
        pairs.push({ field, column: column.name, confidence: 100, reason: `the table's primary key (${column.rawType})` });
        continue;
      }
      if (column.primaryKey) continue;
      const match = nameSimilarity(field, column.name, [table.name]);
      if (match.score >= MIN_NAME_SCORE)
        pairs.push({
          field,
          column: column.name,
          confidence: percent(match.score),
          reason: `name: ${match.because.join(', ')}; ${column.rawType} holds ${ours.accepts.join(' or ')}`,
        });
    }
  pairs.sort((a, b) => b.confidence - a.confidence);
  const fields: Record<string, FieldProposal> = {};
  const usedColumns = new Set<string>();
  for (const { field, ...proposal } of pairs) {
    if (Object.hasOwn(fields, field) || usedColumns.has(proposal.column)) continue;
    fields[field] = proposal;
    usedColumns.add(proposal.column);
  }
  const key = Object.keys(definition).find((field) => definition[field].key);
  if (key && !Object.hasOwn(fields, key)) return { fields, score: 0 };
  const required = Object.keys(definition).filter((field) => definition[field].required);
  const coverage = required.reduce((sum, field) => sum + (fields[field]?.confidence ?? 0) / 100, 0) / Math.max(1, required.length);
  // Coverage alone would let an entity with few required fields take any table with a key and a name.
  const explained = Object.keys(fields).length / Math.max(1, table.columns.length);
  return { fields, score: round(0.5 * coverage + 0.3 * explained + 0.2 * nameSimilarity(entity, table.name).score) };
}

/** Whether the mapping checks would take this column for this field (type, key, decimal places), leaving values aside. */
function fits(
  entity: string,
  field: string,
  ours: FieldDefinition,
  table: IntrospectedTable,
  column: IntrospectedColumn,
  introspection: Introspection,
): boolean {
  if (!ours.accepts.includes(column.type)) return false;
  const alone = { [entity]: { [field]: { ...ours, required: false, enum: undefined } } };
  return validateMappings(alone, introspection, { [entity]: { table: table.name, fields: { [field]: column.name } } }).length === 0;
}

async function completed(
  entity: string,
  definition: Record<string, FieldDefinition>,
  table: IntrospectedTable,
  fields: Record<string, FieldProposal>,
  score: number,
  introspection: Introspection,
  sample: ValueSampler,
): Promise<EntitySuggestion> {
  const unmatched: EntitySuggestion['unmatched'] = Object.entries(definition)
    .filter(([field]) => !Object.hasOwn(fields, field))
    .map(([field, ours]) => ({ field, required: ours.required, reason: 'no column of a type it accepts has a name like it' }));
  const valueMaps: EntitySuggestion['valueMaps'] = {};
  for (const [field, ours] of Object.entries(definition)) {
    if (!ours.enum || !Object.hasOwn(fields, field)) continue;
    const column = table.columns.find((candidate) => candidate.name === fields[field].column)!;
    const listed = column.allowedValues && column.allowedValues.from !== 'set' ? column.allowedValues.members : null;
    const theirs = listed ?? (await sample(table.name, column.name));
    if (theirs === null) {
      unmatched.push({ field, required: ours.required, reason: `column ${column.name} holds too many distinct values to be a fixed set` });
      continue;
    }
    const proposed = proposedValues(ours.enum, theirs, column, listed !== null);
    valueMaps[field] = proposed.values;
    for (const value of proposed.missing)
      unmatched.push({
        field: `${field}.${value}`,
        required: true,
        reason: `none of the column's values (${theirs.join(', ')}) is like it`,
      });
  }
  const mapping: EntityMapping = {
    table: table.name,
    fields: Object.fromEntries(Object.entries(fields).map(([field, proposal]) => [field, proposal.column])),
  };
  if (Object.keys(valueMaps).length > 0)
    mapping.valueMaps = Object.fromEntries(
      Object.entries(valueMaps).map(([field, values]) => [
        field,
        Object.fromEntries(Object.entries(values).map(([value, proposal]) => [value, proposal.value])),
      ]),
    );
  const problems = validateMappings({ [entity]: definition }, introspection, { [entity]: mapping });
  return {
    table: table.name,
    confidence: percent(score),
    mapping,
    complete: problems.length === 0,
    fields,
    valueMaps,
    unmatched,
    problems,
  };
}

/**
 * Each of our values paired with the most alike source value, each source value once. A value
 * no source value is like goes as it is into a column that lists no values (free text) if it
 * fits there and no other value of ours took it.
 */
function proposedValues(
  ours: readonly string[],
  theirs: string[],
  column: IntrospectedColumn,
  listed: boolean,
): { values: Record<string, ValueProposal>; missing: string[] } {
  const pairs = ours.flatMap((value) =>
    theirs.map((source) => ({ value, source, match: nameSimilarity(value, source) })).filter(({ match }) => match.score >= MIN_NAME_SCORE),
  );
  pairs.sort((a, b) => b.match.score - a.match.score);
  const values: Record<string, ValueProposal> = {};
  const used = new Set<string>();
  for (const { value, source, match } of pairs) {
    if (Object.hasOwn(values, value) || used.has(source)) continue;
    values[value] = {
      value: source,
      confidence: percent(match.score),
      reason: `${listed ? 'listed' : 'sampled'} value: ${match.because.join(', ')}`,
    };
    used.add(source);
  }
  const missing: string[] = [];
  for (const value of ours) {
    if (Object.hasOwn(values, value)) continue;
    if (!listed && !used.has(value) && whyColumnCannotHold(column, value) === undefined) {
      values[value] = {
        value,
        confidence: 30,
        reason: 'no sampled value is like it; the column holds free text, so it would be stored as it is',
      };
      used.add(value);
    } else missing.push(value);
  }
  return { values, missing };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function percent(score: number): number {
  return Math.round(score * 100);
}
