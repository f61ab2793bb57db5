import { DataSourceOptions } from 'typeorm';
import { DataSourceSpec } from './data-source-registry';
import { SessionSettings, startupOptions } from './session-settings';
import { TenantRecord } from './tenant-context';
import { assertTenantId } from './tenant-transaction';

/** Which store serves a tenant's records: Tenantry's tenant schema (`own`), or the customer's system through its mapping (`mapped`). */
export type RecordStore = 'own' | 'mapped';

/**
 * The tenant database of a bound tenant: the DataSource to reach it, and how work on it keeps to
 * its tenant and settings. `sessionBound`: the database serves this tenant alone and each of its
 * connections is bound to it, with `sessionSettings` applied, when it opens; otherwise every
 * transaction or statement binds the tenant itself and sets `transactionSettings` for itself.
 * `namedStatements`: a named prepared statement stays on the connection it was prepared on (not
 * so behind a transaction pooler). When it has none we can reach, `failure` is the error a call
 * for it gets.
 */
export type TenantDatabase =
  | { reachable: true; spec: DataSourceSpec; sessionBound: boolean; transactionSettings: SessionSettings; namedStatements: boolean }
  | { reachable: false; failure: () => Error };

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
    case 'pooled':
      return { ...tenant, recordStore: 'own', database: databaseOf(tenant) };
  }
}

/**
 * Reached directly, a dedicated database's connections bind `app.tenant_id` for their whole
 * session in the startup packet (no connection of that pool can ever serve anyone else), and every
 * connection takes the settings there once. Behind a transaction pooler neither can hold: the
 * pooler passes no startup parameters on, and a server connection serves whichever client's
 * transaction comes next. So there, dedicated tenants are bound per transaction or statement,
 * exactly like pooled ones, settings are set per transaction, and statements are unnamed.
 */
function databaseOf(tenant: TenantRecord): TenantDatabase {
  if (!tenant.dataSourceKey) return { reachable: false, failure: () => new TenantDatabaseMissingError(tenant.slug) };
  const spec = { key: tenant.dataSourceKey, poolSize: tenant.poolSize, server: tenant.databaseServerId ?? undefined };
  const settings = tenant.sessionSettings ?? {};
  if (tenant.behindTransactionPooler) {
    return {
      reachable: true,
      spec: { ...spec, options: () => withoutStartupOptions(tenant.connectionOptions()) },
      sessionBound: false,
      transactionSettings: settings,
      namedStatements: false,
    };
  }
  const sessionBound = tenant.placement === 'dedicated';
  if (sessionBound) assertTenantId(tenant.id);
  const startup = sessionBound ? { ...settings, 'app.tenant_id': tenant.id } : settings;
  return {
    reachable: true,
    spec: { ...spec, options: () => withStartupSettings(tenant.connectionOptions(), startup) },
    sessionBound,
    transactionSettings: {},
    namedStatements: true,
  };
}

function withStartupSettings(options: DataSourceOptions, settings: SessionSettings): DataSourceOptions {
  if (Object.keys(settings).length === 0) return options;
  const extra = (options as { extra?: Record<string, unknown> }).extra;
  const startup = [extra?.options, startupOptions(settings)].filter(Boolean).join(' ');
  return { ...options, extra: { ...extra, options: startup } };
}

/** A pooler refuses startup options it does not know (PgBouncer 1.18: all but a few), so none may be sent through it. */
function withoutStartupOptions(options: DataSourceOptions): DataSourceOptions {
  if ((options as { extra?: { options?: unknown } }).extra?.options) {
    throw new Error('Connection options for a database behind a transaction pooler must not carry startup options: use sessionSettings');
  }
  return options;
}
