import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { DataAuditEntry } from './entities/data-audit-entry.entity';

/** Always on: every tenant's data changes are audited; reading the trail is the platform's `audit.read`. */
export const TENANT_AUDIT_MODULE = declareTenantModule({
  name: 'tenant-audit',
  description: 'The audit trail of the tenant’s data',
  toggleable: false,
  entities: [DataAuditEntry],
  permissions: {},
  memberPermissions: [],
  requiredSettings: [],
});
