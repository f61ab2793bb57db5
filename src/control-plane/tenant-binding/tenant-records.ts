import { TenantRecord } from '../../../libs/tenancy/tenant-context';
import { AppConfig } from '../../platform/config/app-config';
import { TenantLocation } from '../tenants/tenant-directory.service';
import { TENANT_MODULE_REGISTRY } from '../../platform/tenant-modules/tenant-module-registry';

/** Turns the control plane's view of a tenant into what libs/tenancy needs to reach its data. */
export function toTenantRecord(location: TenantLocation, tenancy: AppConfig['tenancy']): TenantRecord {
  const connection = location.connection;
  return {
    id: location.id,
    slug: location.slug,
    status: location.status,
    placement: location.placement,
    schemaVersion: location.schemaVersion,
    writesFrozen: location.writesFrozen,
    enabledModules: location.enabledModules,
    dataSourceKey: location.dataSourceKey,
    databaseServerId: location.databaseServerId,
    poolSize: location.placement === 'pooled' ? tenancy.pooledPoolSize : tenancy.dedicatedPoolSize,
    // A request waits for a lock (e.g. a migration's ACCESS EXCLUSIVE) at most lock_timeout, then gets 55P03: a 503.
    sessionSettings: { lock_timeout: `${tenancy.lockTimeoutMs}ms` },
    behindTransactionPooler: location.behindTransactionPooler,
    connectionOptions: () => {
      if (!connection) throw new Error(`Tenant ${location.id} has no database`);
      const { host, port, database, user, password } = connection();
      return {
        type: 'postgres',
        host,
        port,
        database,
        username: user,
        password,
        entities: [...TENANT_MODULE_REGISTRY.entities],
        applicationName: `tenantry:${location.dataSourceKey}`,
        synchronize: false,
        // TypeORM would try CREATE EXTENSION "uuid-ossp" on every new tenant pool: tenant roles may not
        // create extensions, and the tenant schema needs none (its keys default to gen_random_uuid()).
        installExtensions: false,
        extra: { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 },
      };
    },
  };
}
