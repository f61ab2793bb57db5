import { OpenAPIObject } from '@nestjs/swagger';
import { FieldDefinition } from '../../../libs/byod';
import { mappableEntities } from '../../platform/tenant-modules/mappable-entities';

/**
 * One schema per mappable entity (`InventoryItemMapping`, `DealMapping`, …), built from the modules'
 * declarations, so Swagger lists the fields a mapping may name with the column types each
 * accepts, whether it is required or the key, its fixed values and its unit. The entities of
 * EntityMappingsDto point at them.
 */
export function documentMappableFields(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const entityMappings = schemas.EntityMappingsDto as { properties?: Record<string, object> } | undefined;
  if (!entityMappings?.properties) return;
  for (const [entity, fields] of Object.entries(mappableEntities())) {
    const name = `${pascalCase(entity)}Mapping`;
    schemas[name] = {
      description: `A mapping of the \`${entity}\` entity: \`fields\` names the customer's column for each of these fields.`,
      allOf: [
        { $ref: '#/components/schemas/EntityMappingDto' },
        {
          type: 'object',
          properties: {
            fields: {
              type: 'object',
              additionalProperties: false,
              required: Object.entries(fields)
                .filter(([, field]) => field.required || field.key)
                .map(([field]) => field),
              properties: Object.fromEntries(
                Object.entries(fields).map(([field, definition]) => [field, { type: 'string', description: describe(definition) }]),
              ),
            },
          },
        },
      ],
    };
    entityMappings.properties[entity] = { $ref: `#/components/schemas/${name}` };
  }
}

function describe(field: FieldDefinition): string {
  const parts = [`a column of type ${field.accepts.join(' or ')}`];
  if (field.key) parts.push("the record's id: the table's single-column primary key");
  else parts.push(field.required ? 'required' : 'optional');
  if (field.readOnly)
    parts.push("read only: kept by the customer's system (a default or trigger), never written through the API, no rule may target it");
  if (field.enum) parts.push(`one of ${field.enum.join(', ')}: a value map translates the column's own values`);
  if (field.decimalPlaces === 2)
    parts.push('minor units (hundredths): as is in an integer column, in whole units in a decimal one with at most 2 decimal places');
  return parts.join('; ');
}

function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
