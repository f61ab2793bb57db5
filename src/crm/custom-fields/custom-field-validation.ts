import { BadRequestException } from '@nestjs/common';
import { CustomFieldDefinition } from './entities/custom-field-definition.entity';

/** Kinds of record that take custom fields. */
export const CUSTOM_FIELD_ENTITIES = ['account', 'contact', 'deal'] as const;

const MAX_TEXT = 1000;

/**
 * Checks `values` against the tenant's definitions like built-in fields are checked: unknown keys,
 * wrong types, values outside a select's options, and (unless `partial`) missing required fields
 * are one 400 naming each field as `customFields.<key>`. Returns the values to store (null clears).
 */
export function validateCustomFields(
  definitions: CustomFieldDefinition[],
  values: Record<string, unknown> | undefined,
  existing: Record<string, unknown>,
): Record<string, unknown> {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const merged: Record<string, unknown> = { ...existing };
  const problems: Array<{ field: string; problems: string[] }> = [];
  for (const [key, value] of Object.entries(values ?? {})) {
    const definition = byKey.get(key);
    const field = `customFields.${key}`;
    if (!definition) {
      problems.push({ field, problems: [`${field} is not a custom field of this tenant`] });
      continue;
    }
    if (value === null) {
      delete merged[key];
      continue;
    }
    const problem = checkValue(definition, value);
    if (problem) problems.push({ field, problems: [`${field} ${problem}`] });
    else merged[key] = value;
  }
  for (const definition of definitions) {
    if (definition.required && (merged[definition.key] === undefined || merged[definition.key] === '')) {
      const field = `customFields.${definition.key}`;
      if (!problems.some((entry) => entry.field === field)) problems.push({ field, problems: [`${field} is required`] });
    }
  }
  if (problems.length > 0) {
    throw new BadRequestException({
      message: `Validation failed: ${problems.map((entry) => entry.problems.join(', ')).join('; ')}`,
      details: problems,
    });
  }
  return merged;
}

function checkValue(definition: CustomFieldDefinition, value: unknown): string | undefined {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT ? undefined : `must be text of at most ${MAX_TEXT} characters`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be a date (YYYY-MM-DD)';
    case 'select':
      return typeof value === 'string' && definition.options.includes(value)
        ? undefined
        : `must be one of: ${definition.options.join(', ')}`;
  }
}
