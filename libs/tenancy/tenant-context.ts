import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSourceOptions } from 'typeorm';

/** Everything needed to reach one tenant's data, as the tenant directory describes it. */
export interface TenantRecord {
  id: string;
  slug: string;
  status: 'provisioning' | 'active' | 'suspended' | 'failed' | 'deleted' | 'purged';
  placement: 'pooled' | 'dedicated' | 'byod';
  /** Modules the tenant has enabled; their routes are refused otherwise. */
  enabledModules: readonly string[];
  /** Tenant schema version of its database; null before it has one. */
  schemaVersion: string | null;
  /** Tenants sharing a key share a DataSource (all tenants of one pooled database). */
  dataSourceKey: string | null;
  /** The database server its DataSource connects to, for that server's connection cap (DataSourceRegistry.setServerLimits). */
  databaseServerId?: string | null;
  poolSize: number;
  /** Builds the connection options (decrypting credentials) only when a DataSource must be created. */
  connectionOptions: () => DataSourceOptions;
}

const TENANT_KEY = 'tenancy.tenant';

export class NoTenantInContextError extends Error {
  constructor() {
    super('No tenant is bound to this request; tenant data can only be reached from a tenant route');
  }
}

/** The tenant of the current request (AsyncLocalStorage through nestjs-cls). */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  set(tenant: TenantRecord): void {
    this.cls.set(TENANT_KEY, tenant);
  }

  get(): TenantRecord | undefined {
    return this.cls.isActive() ? this.cls.get<TenantRecord>(TENANT_KEY) : undefined;
  }

  require(): TenantRecord {
    const tenant = this.get();
    if (!tenant) throw new NoTenantInContextError();
    return tenant;
  }
}
