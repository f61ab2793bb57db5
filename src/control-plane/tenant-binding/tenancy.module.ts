import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClsService } from 'nestjs-cls';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { TenantConnectionProvider } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { AppConfig } from '../../platform/config/app-config';
import { AppMetrics } from '../../platform/metrics/app-metrics';
import { registerTenantPoolMetrics } from './tenant-pool-metrics';
import { AccessChanges } from '../access-changes';
import { dedicatedDataSourceKeyPrefix, TenantDirectoryService } from '../tenants/tenant-directory.service';
import { TenantsModule } from '../tenants/tenants.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { TenantSourceSettings } from '../data-sources/tenant-source-settings';
import { DataSourceChangeFeed } from '../data-sources/data-source-change-feed';
import { ChangeFeedModule } from '../change-feed/change-feed.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { AppProcessesModule } from '../app-processes/app-processes.module';
import { ConnectionLimitsCheck } from './connection-limits.check';
import { ConnectionShares } from './connection-shares';
import { ConnectionWaitWatch } from './connection-wait-watch';
import { MembershipDirectory } from '../memberships/membership-directory';
import { MembershipCache } from './membership-cache';
import { TenantAccessService } from './tenant-access.service';
import { TenantMembers } from './tenant-members';
import { TenantRecordIdValidation } from './is-tenant-record-id';
import { toTenantRecord } from './tenant-records';
import { WriteFreezeGate } from './write-freeze-gate';

/** Composes libs/tenancy with the control plane: the tenant-data path of every /api request. */
@Global()
@Module({
  imports: [TenantsModule, MembershipsModule, DatabaseServersModule, AppProcessesModule, ChangeFeedModule],
  providers: [
    { provide: TenantContext, inject: [ClsService], useFactory: (cls: ClsService) => new TenantContext(cls) },
    WriteFreezeGate,
    {
      provide: TenantConnectionProvider,
      inject: [DataSourceRegistry, TenantContext, WriteFreezeGate],
      useFactory: (registry: DataSourceRegistry, context: TenantContext, freeze: WriteFreezeGate) =>
        new TenantConnectionProvider(registry, context, freeze.beforeWrite),
    },
    TenantAccessService,
    TenantMembers,
    TenantRecordIdValidation,
    TenantSourceSettings,
    DataSourceChangeFeed,
    ConnectionLimitsCheck,
    ConnectionShares,
    ConnectionWaitWatch,
    {
      provide: DataSourceRegistry,
      inject: [ConfigService, AppMetrics],
      useFactory: (config: ConfigService<AppConfig, true>, metrics: AppMetrics) => {
        const tenancy = config.get('tenancy', { infer: true });
        const registry = new DataSourceRegistry({
          connectionBudget: tenancy.connectionBudget,
          idleTimeoutMs: tenancy.idleTimeoutMs,
          acquireTimeoutMs: tenancy.acquireTimeoutMs,
          logger: new Logger(DataSourceRegistry.name),
        });
        registerTenantPoolMetrics(metrics, registry);
        return registry;
      },
    },
    {
      provide: TenantDirectoryCache,
      inject: [TenantDirectoryService, ConfigService, AccessChanges, DataSourceRegistry],
      useFactory: (
        directory: TenantDirectoryService,
        config: ConfigService<AppConfig, true>,
        changes: AccessChanges,
        registry: DataSourceRegistry,
      ) => {
        const tenancy = config.get('tenancy', { infer: true });
        const cache = new TenantDirectoryCache(
          async (reference) => {
            const location = await directory.locate(reference);
            return location ? toTenantRecord(location, tenancy) : null;
          },
          { ttlMs: tenancy.cacheTtlMs, maxEntries: 10_000 },
        );
        changes.onTenantChanged((tenantId) => {
          cache.invalidate(tenantId);
          void registry.evictMatching((key) => key.startsWith(dedicatedDataSourceKeyPrefix(tenantId)));
        });
        changes.onAnythingMayHaveChanged(() => cache.clear());
        return cache;
      },
    },
    {
      provide: MembershipCache,
      inject: [MembershipDirectory, ConfigService, AccessChanges],
      useFactory: (memberships: MembershipDirectory, config: ConfigService<AppConfig, true>, changes: AccessChanges) => {
        const cache = new MembershipCache((userId, tenantId) => memberships.activeAccessOf(userId, tenantId), {
          ttlMs: config.get('tenancy.cacheTtlMs', { infer: true }),
          maxEntries: 100_000,
        });
        changes.onMembershipChanged((userId, tenantId) => cache.forgetMembership(userId, tenantId));
        changes.onUserChanged((userId) => cache.forgetUser(userId));
        changes.onRolesChanged((tenantId) => cache.forgetTenant(tenantId));
        changes.onAnythingMayHaveChanged(() => cache.forgetAll());
        return cache;
      },
    },
  ],
  exports: [
    TenantContext,
    TenantConnectionProvider,
    TenantAccessService,
    TenantMembers,
    TenantSourceSettings,
    DataSourceChangeFeed,
    DataSourceRegistry,
    TenantDirectoryCache,
    MembershipCache,
    ConnectionShares,
    WriteFreezeGate,
  ],
})
export class TenancyModule implements OnApplicationShutdown {
  constructor(@Inject(DataSourceRegistry) private readonly registry: DataSourceRegistry) {}

  /** Lets in-flight tenant queries finish, then closes every tenant connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
