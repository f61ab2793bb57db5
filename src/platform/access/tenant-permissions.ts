/**
 * What a tenant role may do on /api routes. Routes declare the permission they need
 * (`@TenantPermission('notes.write')`); roles are sets of these. New modules add theirs here.
 */
export const TENANT_PERMISSIONS = {
  'tenant.read': 'See the tenant’s profile',
  'tenant.manage': 'Change the tenant’s settings and enable or disable its modules (within the plan)',
  'notes.read': 'Read notes',
  'notes.write': 'Create, change and delete notes',
  'accounts.read': 'Read accounts',
  'accounts.write': 'Create, change, delete and restore accounts',
  'contacts.read': 'Read contacts',
  'contacts.write': 'Create, change, delete and restore contacts and link them to accounts',
  'deals.read': 'Read deals',
  'deals.write': 'Create, change (including the stage) and delete deals',
  'activities.read': 'Read activities and tasks',
  'activities.write': 'Log activities, create, change, complete and delete tasks',
  'events.read': 'Read events, their dates and staff',
  'events.write': 'Create, change (including the status), delete and restore events, their dates and staff',
  'inventory.read': 'Read stock items and their movements',
  'inventory.write': 'Create, change, archive and delete stock items, and move stock',
  'invoices.read': 'Read quotes, invoices and their payments',
  'invoices.write': 'Create and change quotes and invoices, move their status, convert quotes, record payments',
  'users.read': 'List the tenant’s users, roles and permissions',
  'users.manage': 'Invite, create, change the role of and remove the tenant’s users',
  'roles.manage': 'Create, change and delete custom roles',
  'api_keys.manage': 'Create, list and revoke the tenant’s API keys (each within the creator’s own permissions)',
  'audit.read': 'Read the audit trail of the tenant’s data',
  'data_source.manage': 'Set, test, map and activate the tenant’s own database or API (byod tenants)',
} as const;

export type TenantPermissionName = keyof typeof TENANT_PERMISSIONS;

export const ALL_TENANT_PERMISSIONS = Object.keys(TENANT_PERMISSIONS) as TenantPermissionName[];

/**
 * Roles every tenant has; custom roles are defined per tenant. A Map, so a role name is only ever
 * matched against these keys (an object would also answer `constructor` or `__proto__`).
 */
export const BUILT_IN_ROLE_PERMISSIONS: ReadonlyMap<string, readonly TenantPermissionName[]> = new Map<string, readonly TenantPermissionName[]>([
  ['tenant_admin', ALL_TENANT_PERMISSIONS],
  [
    'member',
    ['tenant.read', 'notes.read', 'notes.write', 'accounts.read', 'accounts.write', 'contacts.read', 'contacts.write', 'deals.read', 'deals.write', 'activities.read', 'activities.write', 'events.read', 'events.write', 'inventory.read', 'inventory.write', 'invoices.read', 'invoices.write'],
  ],
]);

export const BUILT_IN_ROLES = [...BUILT_IN_ROLE_PERMISSIONS.keys()];
