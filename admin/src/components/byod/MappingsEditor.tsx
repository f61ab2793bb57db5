import { Button, Checkbox, Fieldset, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type DataSource, type IntrospectedColumn, type IntrospectedTable, mappingSuggestions, saveMappings } from '../../api/data-source';
import { ENTITY_LABELS, fieldsOf, MAPPABLE_ENTITIES, type MappableEntity } from '../../api/mappable-fields';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { hasProblemsUnder, problemsAt } from '../field-errors';
import { emptyEntity, type EntityForm, formOf, type MappingForm, mappingsOf, NO_RULE, type RuleForm } from './mapping-form';
import classes from './MappingsEditor.module.css';

interface MappingsEditorProps {
  source: DataSource;
  onSaved: (source: DataSource) => void;
}

/**
 * Our entities onto the tables the last test found: a table per entity, a column per field, a value
 * map for fields with fixed values, and the tenant's own rules. The API checks it all and names each
 * problem by request field; each is shown at the input it concerns.
 */
export function MappingsEditor({ source, onSaved }: MappingsEditorProps) {
  const tables = source.introspection?.tables ?? [];
  const [form, setForm] = useState<MappingForm>(() => formOf(source.mappings));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const change = (entity: MappableEntity, next: EntityForm | undefined) => {
    setSaved(false);
    setForm((current) => ({ ...current, [entity]: next }));
  };

  const suggest = async () => {
    setError(undefined);
    try {
      const suggestions = await mappingSuggestions();
      const proposed = Object.fromEntries(
        Object.entries(suggestions.entities)
          .filter(([, suggestion]) => suggestion.mapping)
          .map(([entity, suggestion]) => [entity, suggestion.mapping]),
      );
      setForm(formOf(proposed));
      setSaved(false);
    } catch (failure) {
      setError(failure);
    }
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await saveMappings(mappingsOf(form, tables)));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Group>
        <Button variant="default" onClick={() => void suggest()}>
          Suggest mappings from the names
        </Button>
        <Text size="sm">Or choose a table for each entity to serve from your database; leave the others unmapped.</Text>
      </Group>
      {MAPPABLE_ENTITIES.map((entity) => (
        <EntityEditor
          key={entity}
          entity={entity}
          tables={tables}
          value={form[entity]}
          error={error}
          onChange={(next) => change(entity, next)}
        />
      ))}
      <ApiErrorAlert error={error} title="The mappings were not saved" placed={(field) => isPlaced(form, field)} />
      {saved && (
        <Text role="status" fw={500}>
          Mappings saved: the API found no problem.
        </Text>
      )}
      <Group>
        <Button onClick={() => void save()} loading={busy}>
          Save mappings
        </Button>
      </Group>
    </Stack>
  );
}

/** Problems the editor shows beside an input: those of the tables, fields, value maps and rules of the entities it shows. */
function isPlaced(form: MappingForm, field: string): boolean {
  const [root, entity, part, name] = field.split('.');
  if (root !== 'mappings' || !MAPPABLE_ENTITIES.includes(entity as MappableEntity)) return false;
  if (part === 'table') return true;
  return form[entity as MappableEntity] !== undefined && ['fields', 'valueMaps', 'validations'].includes(part) && Boolean(name);
}

interface EntityEditorProps {
  entity: MappableEntity;
  tables: IntrospectedTable[];
  value: EntityForm | undefined;
  error: unknown;
  onChange: (next: EntityForm | undefined) => void;
}

function EntityEditor({ entity, tables, value, error, onChange }: EntityEditorProps) {
  const label = ENTITY_LABELS[entity];
  const at = (path: string) => problemsAt(error, `mappings.${entity}.${path}`);
  const columns = tables.find((table) => table.name === value?.table)?.columns ?? [];
  const fields = fieldsOf(entity);
  const update = (patch: Partial<EntityForm>) => value && onChange({ ...value, ...patch });
  return (
    <Fieldset legend={label} aria-label={label}>
      <Stack gap="sm">
        <NativeSelect
          label="Table"
          description={`The table whose rows are your ${label.toLowerCase()}`}
          data={[{ value: '', label: '— not served from your database —' }, ...tables.map((table) => table.name)]}
          value={value?.table ?? ''}
          onChange={(event) =>
            onChange(event.currentTarget.value ? { ...(value ?? emptyEntity('')), table: event.currentTarget.value } : undefined)
          }
          error={at('table')}
          w={360}
        />
        {value && (
          <>
            <div className={classes.grid}>
              {fields.map(([field, info]) => (
                <NativeSelect
                  key={field}
                  label={info.label}
                  description={info.required ? 'required' : info.readOnly ? 'optional, read only' : 'optional'}
                  data={[
                    { value: '', label: '— not mapped —' },
                    ...columns.map((column) => ({ value: column.name, label: `${column.name} (${column.rawType})` })),
                  ]}
                  value={value.fields[field] ?? ''}
                  onChange={(event) => update({ fields: { ...value.fields, [field]: event.currentTarget.value } })}
                  error={at(`fields.${field}`)}
                />
              ))}
            </div>
            {fields
              .filter(([field, info]) => info.values && value.fields[field])
              .map(([field, info]) => (
                <ValueMapEditor
                  key={field}
                  label={info.label}
                  ours={info.values!}
                  column={columns.find((column) => column.name === value.fields[field])}
                  values={value.valueMaps[field] ?? {}}
                  fallback={value.fallbacks[field] ?? ''}
                  problem={at(`valueMaps.${field}`)}
                  onChange={(values, fallback) =>
                    update({ valueMaps: { ...value.valueMaps, [field]: values }, fallbacks: { ...value.fallbacks, [field]: fallback } })
                  }
                />
              ))}
            <RulesEditor
              entity={entity}
              fields={fields.filter(([field, info]) => !info.readOnly && value.fields[field]).map(([field, info]) => [field, info.label])}
              rules={value.rules}
              error={error}
              onChange={(rules) => update({ rules })}
            />
          </>
        )}
      </Stack>
    </Fieldset>
  );
}

interface ValueMapEditorProps {
  label: string;
  ours: readonly string[];
  column: IntrospectedColumn | undefined;
  values: Record<string, string>;
  fallback: string;
  problem: string | undefined;
  onChange: (values: Record<string, string>, fallback: string) => void;
}

/** Our fixed values → the source's own, one each; and what any other source value reads as. */
function ValueMapEditor({ label, ours, column, values, fallback, problem, onChange }: ValueMapEditorProps) {
  const allowed = column?.allowedValues?.members;
  return (
    <Fieldset legend={`${label}: values`} variant="filled" aria-label={`${label}: values`}>
      <Stack gap="xs">
        <Text size="sm">Your column’s value for each of ours{allowed ? ` (the column allows ${allowed.join(', ')})` : ''}.</Text>
        <div className={classes.grid}>
          {ours.map((value) => (
            <TextInput
              key={value}
              label={value}
              value={values[value] ?? ''}
              onChange={(event) => onChange({ ...values, [value]: event.currentTarget.value }, fallback)}
            />
          ))}
          <NativeSelect
            label="Any other value reads as"
            data={[{ value: '', label: 'unmapped' }, ...ours]}
            value={fallback}
            onChange={(event) => onChange(values, event.currentTarget.value)}
          />
        </div>
        {problem && (
          <Text size="sm" className={classes.problem} role="alert">
            {problem}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}

interface RulesEditorProps {
  entity: MappableEntity;
  fields: Array<[string, string]>;
  rules: Record<string, RuleForm>;
  error: unknown;
  onChange: (rules: Record<string, RuleForm>) => void;
}

/** The tenant's own rules per mapped field, checked before every write; folded away unless some are set or refused. */
function RulesEditor({ entity, fields, rules, error, onChange }: RulesEditorProps) {
  if (fields.length === 0) return null;
  const open = Object.keys(rules).length > 0 || hasProblemsUnder(error, `mappings.${entity}.validations`);
  const set = (field: string, patch: Partial<RuleForm>) => onChange({ ...rules, [field]: { ...(rules[field] ?? NO_RULE), ...patch } });
  return (
    <details open={open || undefined}>
      <summary>Field rules (checked before every write)</summary>
      <Stack gap="xs" mt="xs">
        {fields.map(([field, label]) => {
          const rule = rules[field] ?? NO_RULE;
          const problem = problemsAt(error, `mappings.${entity}.validations.${field}`);
          const text = (key: 'min' | 'max' | 'minLength' | 'maxLength' | 'oneOf', name: string) => (
            <TextInput label={name} value={rule[key]} onChange={(event) => set(field, { [key]: event.currentTarget.value })} />
          );
          return (
            <Fieldset key={field} legend={`Rules for ${label}`} variant="unstyled" aria-label={`Rules for ${label}`}>
              <div className={classes.ruleRow}>
                <Checkbox
                  label="Required"
                  checked={rule.required}
                  onChange={(event) => set(field, { required: event.currentTarget.checked })}
                />
                {text('min', 'Min')}
                {text('max', 'Max')}
                {text('minLength', 'Min length')}
                {text('maxLength', 'Max length')}
                {text('oneOf', 'One of (commas)')}
              </div>
              {problem && (
                <Text size="sm" className={classes.problem} role="alert">
                  {problem}
                </Text>
              )}
            </Fieldset>
          );
        })}
      </Stack>
    </details>
  );
}
