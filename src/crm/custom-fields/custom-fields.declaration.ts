import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { CustomFieldDefinition } from './entities/custom-field-definition.entity';

/** Always on; its routes are the tenant's own configuration (`tenant.read`, `tenant.manage`). */
export const CUSTOM_FIELDS_MODULE = declareTenantModule({
  name: 'custom-fields',
  description: 'Per-tenant custom fields on records',
  toggleable: false,
  entities: [CustomFieldDefinition],
  permissions: {},
  memberPermissions: [],
  requiredSettings: [],
});
