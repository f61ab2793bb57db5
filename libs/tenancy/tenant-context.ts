import { DataSourceOptions } from 'typeorm';
import type { SessionSettings } from './session-settings';
import type { BoundTenant } from './tenant-placement';

/** Everything needed to reach one tenant's data, as the tenant directory describes it. */
export interface TenantRecord {
  id: string;
  slug: string;
  status: 'provisioning' | 'active' | 'suspended' | 'failed' | 'deleted' | 'purged';
  placement: 'pooled' | 'dedicated' | 'byod';
  /** Modules the tenant has enabled; their routes are refused otherwise. */
  enabledModules: readonly string[];
  /** Its data is being moved and writes are held for the switch: writes must wait or be refused (reads are served). */
  writesFrozen?: boolean;
  /** Tenant schema version of its database; null before it has one. */
  schemaVersion: string | null;
  /** Tenants sharing a key share a DataSource (all tenants of one pooled database). */
  dataSourceKey: string | null;
  /** The database server its DataSource connects to, for that server's connection cap (DataSourceRegistry.setServerLimits). */
  databaseServerId?: string | null;
  poolSize: number;
  /**
   * Builds the connection options (decrypting credentials) only when a DataSource must be created.
   * They carry no startup `options`: settings belong in `sessionSettings`, which work behind a pooler too.
   */
  connectionOptions: () => DataSourceOptions;
  /** Settings every unit of work on its database runs under (e.g. lock_timeout); how they are applied is tenant-placement.ts's business. */
  sessionSettings?: SessionSettings;
  /**
   * Its database is reached through a transaction-mode pooler (PgBouncer): consecutive transactions of
   * one connection may run on different server connections, and startup parameters are not passed on.
   */
  behindTransactionPooler?: boolean;
}

const TENANT_KEY = 'tenancy.tenant';

export class NoTenantInContextError extends Error {
  constructor() {
    super('No tenant is bound to this request; tenant data can only be reached from a tenant route');
  }
}

/** Values kept for the current request only (AsyncLocalStorage; the app's is nestjs-cls's ClsService). */
export interface RequestStore {
  isActive(): boolean;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** The tenant of the current request, as it was bound (see boundTenantOf). */
export class TenantContext {
  constructor(private readonly store: RequestStore) {}

  set(tenant: BoundTenant): void {
    this.store.set(TENANT_KEY, tenant);
  }

  get(): BoundTenant | undefined {
    return this.store.isActive() ? (this.store.get(TENANT_KEY) as BoundTenant | undefined) : undefined;
  }

  require(): BoundTenant {
    const tenant = this.get();
    if (!tenant) throw new NoTenantInContextError();
    return tenant;
  }
}
