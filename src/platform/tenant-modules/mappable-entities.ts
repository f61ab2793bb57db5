import { EntityDefinitions } from '../../../libs/byod';
import { TENANT_MODULE_REGISTRY } from './tenant-module-registry';

/**
 * The entities a `byod` tenant can map onto its own tables, as the modules declare them. The key
 * field of each is the customer's primary key: it is the record's id in our API.
 */
export function mappableEntities(): EntityDefinitions {
  return TENANT_MODULE_REGISTRY.mappableEntities;
}

/** The mappable entities whose mappings may declare extra columns as custom fields. */
export function entitiesWithCustomFields(): readonly string[] {
  return TENANT_MODULE_REGISTRY.mappableCustomFields;
}

/** The field that identifies a record of `entity`: the one its definition marks as the key. */
export function keyFieldOf(entity: string): string {
  const entities = mappableEntities();
  const key = Object.entries(Object.hasOwn(entities, entity) ? entities[entity] : {}).find(([, field]) => field.key);
  if (!key) throw new Error(`Mappable entity ${entity} has no key field`);
  return key[0];
}
