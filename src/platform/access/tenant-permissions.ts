import { TENANT_MODULE_REGISTRY } from '../tenant-modules/tenant-module-registry';
import {
  MEMBER_PLATFORM_PERMISSIONS,
  PlatformTenantPermissionName,
  TENANT_ADMINISTRATION_PERMISSIONS,
  TENANT_ITSELF_PERMISSIONS,
} from './platform-tenant-permissions';

/**
 * The names `@TenantPermission(...)` accepts: the platform's, and each module's, which its
 * declaration file adds by merging into this interface
 * (`declare module '.../tenant-permissions' { interface TenantPermissionNames extends ... }`),
 * so a route naming a permission no one declares does not compile.
 */
export interface TenantPermissionNames extends Record<PlatformTenantPermissionName, true> {}

export type TenantPermissionName = keyof TenantPermissionNames;

/**
 * What a tenant role may do on /api routes. Routes declare the permission they need
 * (`@TenantPermission('notes.write')`); roles are sets of these.
 */
export interface TenantPermissionCatalog {
  /** Every permission with its description, in catalog order. */
  readonly descriptions: ReadonlyMap<TenantPermissionName, string>;
  readonly names: readonly TenantPermissionName[];
  /**
   * Roles every tenant has; custom roles are defined per tenant. A Map, so a role name is only ever
   * matched against these keys (an object would also answer `constructor` or `__proto__`).
   */
  readonly builtInRoles: ReadonlyMap<string, readonly TenantPermissionName[]>;
}

let built: { revision: number; catalog: TenantPermissionCatalog } | undefined;

/** The catalog of the modules registered so far, built again only when one registers. */
export function tenantPermissionCatalog(): TenantPermissionCatalog {
  if (built?.revision !== TENANT_MODULE_REGISTRY.revision) built = { revision: TENANT_MODULE_REGISTRY.revision, catalog: buildCatalog() };
  return built.catalog;
}

export function allTenantPermissions(): readonly TenantPermissionName[] {
  return tenantPermissionCatalog().names;
}

/** The catalog's permissions with their descriptions, in catalog order; only those `granted` holds when given. */
export function describedTenantPermissions(granted?: readonly string[]): Array<{ name: TenantPermissionName; description: string }> {
  const described = [...tenantPermissionCatalog().descriptions].map(([name, description]) => ({ name, description }));
  return granted ? described.filter(({ name }) => granted.includes(name)) : described;
}

function buildCatalog(): TenantPermissionCatalog {
  const descriptions = new Map([
    ...Object.entries(TENANT_ITSELF_PERMISSIONS),
    ...TENANT_MODULE_REGISTRY.permissions,
    ...Object.entries(TENANT_ADMINISTRATION_PERMISSIONS),
  ] as [TenantPermissionName, string][]);
  const names = [...descriptions.keys()];
  const member = [...MEMBER_PLATFORM_PERMISSIONS, ...TENANT_MODULE_REGISTRY.memberPermissions] as TenantPermissionName[];
  return {
    descriptions,
    names,
    builtInRoles: new Map([
      ['tenant_admin', names],
      ['member', member],
    ]),
  };
}
