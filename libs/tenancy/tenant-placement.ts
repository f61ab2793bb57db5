import { DataSourceOptions } from 'typeorm';
import { DataSourceSpec } from './data-source-registry';
import { TenantRecord } from './tenant-context';
import { assertTenantId } from './tenant-transaction';

/** Which store serves a tenant's records: Tenantry's tenant schema (`own`), or the customer's system through its mapping (`mapped`). */
export type RecordStore = 'own' | 'mapped';

/**
 * The tenant database of a bound tenant: the DataSource to reach it, and whether that database
 * serves this tenant alone, its connections bound to it when they open (`sessionBound`), or many
 * tenants, every transaction or statement binding the tenant itself. When it has none we can
 * reach, `failure` is the error a call for it gets.
 */
export type TenantDatabase = { reachable: true; spec: DataSourceSpec; sessionBound: boolean } | { reachable: false; failure: () => Error };

/**
 * A tenant bound to a request, with what its placement means decided once, when it was bound:
 * every later step (the record id pipe, the store a module serves it from, the connection
 * provider) reads these instead of asking the placement again.
 */
export interface BoundTenant extends TenantRecord {
  readonly recordStore: RecordStore;
  readonly database: TenantDatabase;
}

/** The tenant's data lives in its own system (byod), which the work asked for cannot reach. */
export class TenantDataElsewhereError extends Error {
  constructor() {
    super("This tenant's data lives in its own system, and this module is not served from there");
    this.name = 'TenantDataElsewhereError';
  }
}

/** The tenant has no tenant database yet (nothing was provisioned for it). */
export class TenantDatabaseMissingError extends Error {
  constructor(slug: string) {
    super(`Tenant "${slug}" has no database yet`);
    this.name = 'TenantDatabaseMissingError';
  }
}

/** The one place a tenant's placement is turned into how its data is reached. */
export function boundTenantOf(tenant: TenantRecord): BoundTenant {
  switch (tenant.placement) {
    case 'byod':
      return { ...tenant, recordStore: 'mapped', database: { reachable: false, failure: () => new TenantDataElsewhereError() } };
    case 'dedicated':
      return {
        ...tenant,
        recordStore: 'own',
        database: databaseOf(tenant, () => boundToTenant(tenant.connectionOptions(), tenant.id), true),
      };
    case 'pooled':
      return { ...tenant, recordStore: 'own', database: databaseOf(tenant, tenant.connectionOptions, false) };
  }
}

function databaseOf(tenant: TenantRecord, options: () => DataSourceOptions, sessionBound: boolean): TenantDatabase {
  if (!tenant.dataSourceKey) return { reachable: false, failure: () => new TenantDatabaseMissingError(tenant.slug) };
  return {
    reachable: true,
    sessionBound,
    spec: { key: tenant.dataSourceKey, poolSize: tenant.poolSize, options, server: tenant.databaseServerId ?? undefined },
  };
}

/**
 * A dedicated database serves one tenant, so each of its connections binds `app.tenant_id` for its
 * whole session in the startup packet: no connection of that pool can ever serve anyone else.
 */
function boundToTenant(options: DataSourceOptions, tenantId: string): DataSourceOptions {
  assertTenantId(tenantId);
  const extra = (options as { extra?: Record<string, unknown> }).extra;
  const startup = [extra?.options, `-c app.tenant_id=${tenantId}`].filter(Boolean).join(' ');
  return { ...options, extra: { ...extra, options: startup } };
}
