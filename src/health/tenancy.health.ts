import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSourceRegistry } from '../../libs/tenancy/data-source-registry';
import { TenantDirectoryCache } from '../../libs/tenancy/tenant-directory-cache';

/** Tenant connection pool and metadata cache figures, reported with readiness. */
@Injectable()
export class TenancyHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: DataSourceRegistry,
    private readonly cache: TenantDirectoryCache,
  ) {}

  check(): HealthIndicatorResult<'tenantConnections'> {
    return this.health.check('tenantConnections').up({ ...this.registry.stats(), metadataCache: this.cache.stats() });
  }
}
