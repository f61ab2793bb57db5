/**
 * The modules a tenant can have (seed 003). A module's routes answer 403 for a tenant that has not
 * enabled it; some modules need tenant settings first. Every module's tables are part of the one
 * tenant schema, so enabling one has nothing to create in the tenant's database.
 */
export interface ModuleDefinition {
  description: string;
  /** Tenant settings that must be filled before the module can be enabled. */
  requiredSettings: readonly TenantSettingName[];
}

export const TENANT_SETTINGS = ['companyName', 'companyEmail', 'address', 'currency', 'timezone', 'locale'] as const;
export type TenantSettingName = (typeof TENANT_SETTINGS)[number];

export const MODULE_CATALOG: Readonly<Record<string, ModuleDefinition>> = {
  notes: { description: 'Notes', requiredSettings: [] },
  accounts: { description: 'Companies the tenant works with', requiredSettings: [] },
  contacts: { description: 'People, linked to accounts', requiredSettings: [] },
  deals: { description: 'Opportunities through a pipeline', requiredSettings: ['currency'] },
  activities: { description: 'Calls, e-mails, meetings and tasks', requiredSettings: [] },
  events: { description: 'Events with dates, locations and staff', requiredSettings: ['timezone'] },
  inventory: { description: 'Stock items and movements', requiredSettings: ['currency'] },
  invoices: { description: 'Billing: quotes, invoices and payments', requiredSettings: ['address', 'currency', 'companyName'] },
};

export const MODULE_NAMES = Object.keys(MODULE_CATALOG);

/** The catalog's entry for a name a caller sent; own keys only (`constructor`, `__proto__` are no modules). */
export function moduleDefinition(name: string): ModuleDefinition | undefined {
  return Object.hasOwn(MODULE_CATALOG, name) ? MODULE_CATALOG[name] : undefined;
}

/** The settings `module` needs that `settings` lacks (empty: it can be enabled). */
export function missingSettings(module: string, settings: Record<string, string | undefined>): TenantSettingName[] {
  return (moduleDefinition(module)?.requiredSettings ?? []).filter((name) => !(Object.hasOwn(settings, name) && settings[name]?.trim()));
}
