/** The settings a tenant admin fills in (/api/tenant/settings); modules may need some of them before they can be enabled. */
export const TENANT_SETTINGS = ['companyName', 'companyEmail', 'address', 'currency', 'timezone', 'locale'] as const;
export type TenantSettingName = (typeof TENANT_SETTINGS)[number];
