import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { ConnectionShares } from '../tenant-binding/connection-shares';

/**
 * Tenant connection pool and metadata cache figures, reported with readiness: `servers` has each
 * server's reserved connections and cap in this process, `shares` the live processes and the
 * declared budgets they split.
 */
@Injectable()
export class TenancyHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: DataSourceRegistry,
    private readonly cache: TenantDirectoryCache,
    private readonly shares: ConnectionShares,
  ) {}

  check(): HealthIndicatorResult<'tenantConnections'> {
    return this.health
      .check('tenantConnections')
      .up({ ...this.registry.stats(), shares: this.shares.current(), metadataCache: this.cache.stats() });
  }
}
