import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';

const BULK_TRANSFER_PERMISSIONS = {
  'imports.run': 'Start bulk imports and follow them (each import also needs the write permission of what it imports)',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof BULK_TRANSFER_PERMISSIONS, true> {}
}

/** Always on: bulk import and export of the records of the modules a tenant has enabled, within the caller's permissions there. */
export const BULK_TRANSFER_MODULE = declareTenantModule({
  name: 'bulk-transfer',
  description: 'Bulk import and export of accounts, contacts and inventory items (CSV, NDJSON)',
  toggleable: false,
  entities: [],
  permissions: BULK_TRANSFER_PERMISSIONS,
  memberPermissions: ['imports.run'],
  requiredSettings: [],
});
