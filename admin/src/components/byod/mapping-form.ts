import type { EntityMappings, IntrospectedTable } from '../../api/data-source';
import { fieldsOf, MAPPABLE_ENTITIES, type MappableEntity } from '../../api/mappable-fields';

/** One rule of a field as typed in the form: numbers and lists as text, read when the mappings are sent. */
export interface RuleForm {
  required: boolean;
  min: string;
  max: string;
  minLength: string;
  maxLength: string;
  /** Comma-separated. */
  oneOf: string;
}

export interface EntityForm {
  table: string;
  /** our field → their column ('' or absent: not mapped) */
  fields: Record<string, string>;
  /** our field → our value → their value, as typed */
  valueMaps: Record<string, Record<string, string>>;
  /** our field → the value of ours other source values read as ('' : they read as `unmapped`) */
  fallbacks: Record<string, string>;
  rules: Record<string, RuleForm>;
}

/** The entities being mapped; one left out is not served from the source. */
export type MappingForm = Partial<Record<MappableEntity, EntityForm>>;

export const NO_RULE: RuleForm = { required: false, min: '', max: '', minLength: '', maxLength: '', oneOf: '' };
export const emptyEntity = (table: string): EntityForm => ({ table, fields: {}, valueMaps: {}, fallbacks: {}, rules: {} });

/** The form for mappings as the API answers or proposes them. */
export function formOf(mappings: EntityMappings | null | undefined): MappingForm {
  const form: MappingForm = {};
  for (const entity of MAPPABLE_ENTITIES) {
    const mapping = mappings?.[entity];
    if (!mapping) continue;
    const valueMaps: EntityForm['valueMaps'] = {};
    const fallbacks: EntityForm['fallbacks'] = {};
    for (const [field, values] of Object.entries(mapping.valueMaps ?? {})) {
      const { '*': fallback, ...ours } = values as Record<string, string | number | boolean>;
      valueMaps[field] = Object.fromEntries(Object.entries(ours).map(([value, theirs]) => [value, String(theirs)]));
      if (fallback !== undefined) fallbacks[field] = String(fallback);
    }
    const rules: EntityForm['rules'] = {};
    for (const [field, rule] of Object.entries(mapping.validations ?? {})) {
      const typed = rule as { required?: boolean; min?: number; max?: number; minLength?: number; maxLength?: number; oneOf?: unknown[] };
      rules[field] = {
        required: typed.required ?? false,
        min: typed.min?.toString() ?? '',
        max: typed.max?.toString() ?? '',
        minLength: typed.minLength?.toString() ?? '',
        maxLength: typed.maxLength?.toString() ?? '',
        oneOf: typed.oneOf?.join(', ') ?? '',
      };
    }
    form[entity] = { table: mapping.table, fields: { ...mapping.fields }, valueMaps, fallbacks, rules };
  }
  return form;
}

/**
 * The body of PUT …/mappings for the form. Nothing is judged here (the API is): a value typed for a
 * numeric or boolean column is sent as a number or boolean, a number typed in a rule as a number
 * (text that is not one is sent as it is, for the API to name).
 */
export function mappingsOf(form: MappingForm, tables: IntrospectedTable[]): EntityMappings {
  const entities: Record<string, unknown> = {};
  for (const entity of MAPPABLE_ENTITIES) {
    const entityForm = form[entity];
    if (!entityForm) continue;
    const columns = tables.find((table) => table.name === entityForm.table)?.columns ?? [];
    const fields = Object.fromEntries(Object.entries(entityForm.fields).filter(([, column]) => column !== ''));
    const valueMaps: Record<string, Record<string, unknown>> = {};
    for (const [field, info] of fieldsOf(entity)) {
      if (!info.values || !fields[field]) continue;
      const type = columns.find((column) => column.name === fields[field])?.type;
      const typed = Object.entries(entityForm.valueMaps[field] ?? {}).filter(([, theirs]) => theirs.trim() !== '');
      const map: Record<string, unknown> = Object.fromEntries(typed.map(([ours, theirs]) => [ours, asColumnValue(theirs.trim(), type)]));
      if (entityForm.fallbacks[field]) map['*'] = entityForm.fallbacks[field];
      valueMaps[field] = map;
    }
    const validations: Record<string, unknown> = {};
    for (const [field, rule] of Object.entries(entityForm.rules)) {
      const sent = ruleOf(rule);
      if (sent && fields[field]) validations[field] = sent;
    }
    entities[entity] = {
      table: entityForm.table,
      fields,
      ...(Object.keys(valueMaps).length > 0 ? { valueMaps } : {}),
      ...(Object.keys(validations).length > 0 ? { validations } : {}),
    };
  }
  return entities;
}

function asColumnValue(text: string, type: string | undefined): string | number | boolean {
  if ((type === 'integer' || type === 'decimal') && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

const numberOrText = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text.trim());

function ruleOf(rule: RuleForm): Record<string, unknown> | undefined {
  const sent: Record<string, unknown> = {};
  if (rule.required) sent.required = true;
  for (const key of ['min', 'max', 'minLength', 'maxLength'] as const) if (rule[key].trim() !== '') sent[key] = numberOrText(rule[key]);
  if (rule.oneOf.trim() !== '')
    sent.oneOf = rule.oneOf
      .split(',')
      .map((choice) => choice.trim())
      .filter(Boolean);
  return Object.keys(sent).length > 0 ? sent : undefined;
}
