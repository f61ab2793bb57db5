import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../access-changes';

/** Requests per minute a tenant may make, in all and per principal (a user or an API key); null: unlimited. */
export interface RequestRates {
  tenantPerMinute: number | null;
  principalPerMinute: number | null;
}

/**
 * Each tenant's effective request rates (its override, else its plan's), cached so no /api
 * request queries the control plane for them. An override is a change of the tenant's row, and a
 * plan edit one of the plan's row: either way the change feed drops the entries on every process
 * at once (all of them for a plan edit, which is rare and whose tenants are not known here). A
 * load during which something was forgotten is not cached: what it read may predate the change.
 */
@Injectable()
export class TenantRateLimits {
  private readonly cache: LRUCache<string, RequestRates>;
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    changes: AccessChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    this.cache = new LRUCache({ max: 10_000, ttl: Math.max(config.get('tenancy.cacheTtlMs', { infer: true }), 1) });
    changes.onTenantChanged((tenantId) => this.forget(tenantId));
    changes.onPlanChanged(() => this.forget());
    changes.onAnythingMayHaveChanged(() => this.forget());
  }

  async ratesOf(tenantId: string): Promise<RequestRates> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const generation = this.generation;
    const [row]: Array<{ tenant: number | null; principal: number | null }> = await this.dataSource.query(
      `SELECT COALESCE(t.tenant_requests_per_minute_override, p.tenant_requests_per_minute) AS tenant,
              COALESCE(t.principal_requests_per_minute_override, p.principal_requests_per_minute) AS principal
         FROM tenants t JOIN plans p ON p.name = t.plan
        WHERE t.id = $1`,
      [tenantId],
    );
    const rates = { tenantPerMinute: row?.tenant ?? null, principalPerMinute: row?.principal ?? null };
    if (generation === this.generation) this.cache.set(tenantId, rates);
    return rates;
  }

  private forget(tenantId?: string): void {
    this.generation += 1;
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }
}
