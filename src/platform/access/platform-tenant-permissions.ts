/**
 * The tenant permissions the platform itself guards, present in every tenant whatever modules it
 * has: the tenant's own profile, settings, modules and custom fields come first in the catalog;
 * the administration of its people, roles, API keys, data audit trail and data source comes after
 * the modules'. Their routes sit in every tier (control plane, identity, the always-on tenant
 * modules), and roles, API keys and the data audit exist for every tenant, so no one module owns them.
 */
export const TENANT_ITSELF_PERMISSIONS = {
  'tenant.read': 'See the tenant’s profile',
  'tenant.manage': 'Change the tenant’s settings and enable or disable its modules (within the plan)',
} as const;

export const TENANT_ADMINISTRATION_PERMISSIONS = {
  'users.read': 'List the tenant’s users, roles and permissions',
  'users.manage': 'Invite, create, change the role of and remove the tenant’s users',
  'roles.manage': 'Create, change and delete custom roles',
  'api_keys.manage': 'Create, list and revoke the tenant’s API keys (each within the creator’s own permissions)',
  'audit.read': 'Read the audit trail of the tenant’s data',
  'data_source.manage': 'Set, test, map and activate the tenant’s own database or API (byod tenants)',
  'webhooks.read': 'See the tenant’s webhook endpoints and their delivery log (never a signing secret after creation)',
  'webhooks.manage': 'Create, change, rotate the secret of, test, replay and delete the tenant’s webhook endpoints',
} as const;

/** What the built-in `member` role holds of the platform's permissions (the modules add theirs). */
export const MEMBER_PLATFORM_PERMISSIONS = ['tenant.read'] as const;

export type PlatformTenantPermissionName = keyof typeof TENANT_ITSELF_PERMISSIONS | keyof typeof TENANT_ADMINISTRATION_PERMISSIONS;

export const PLATFORM_TENANT_PERMISSION_NAMES = [
  ...Object.keys(TENANT_ITSELF_PERMISSIONS),
  ...Object.keys(TENANT_ADMINISTRATION_PERMISSIONS),
] as PlatformTenantPermissionName[];
