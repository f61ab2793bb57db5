import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../access-changes';
import { UsageMeter } from '../usage/usage-meter';
import { utcDay } from '../usage/utc-day';
import { daysOfMonthThrough, monthOf, QuotaFigures } from './quota-figures';

/** A tenant's cached figures, and the calls this process let through since it loaded them. */
export interface QuotaStanding {
  figures: QuotaFigures;
  callsSinceLoad: number;
}

interface FiguresRow {
  display_name: string;
  storage_mb: number | null;
  max_api_calls_per_month: number | null;
  placement: string;
  storage_bytes: string | null;
  api_calls: string;
}

/**
 * Each tenant's quota figures (its plan's storageMb and monthly API calls, the last storage
 * measurement, the calls metered this month), cached so that no /api request queries for them.
 *
 * Monthly calls come from usage metering, the figure tenants are billed by, kept in PostgreSQL
 * (so a restart forgets nothing, with or without Redis): the month's metered days, plus what this
 * process has not flushed yet, plus the calls it counts while the entry lives. An entry lives one
 * usage flush interval, the pace at which other processes' counts reach the database, so a tenant
 * spread over N processes can overshoot by what N-1 of them served in that interval (bounded by its
 * rate limits): a monthly quota does not need the per-request agreement of a rate limit.
 *
 * Pushed changes drop entries on every process at once: a tenant's (its plan or placement changed),
 * a plan's (all entries: its tenants are not known here), a new measurement of a tenant. A load
 * during which something was forgotten is not cached: what it read may predate the change.
 */
@Injectable()
export class TenantQuotaStandings {
  private readonly cache: LRUCache<string, QuotaStanding>;
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly meter: UsageMeter,
    changes: AccessChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    this.cache = new LRUCache({ max: 10_000, ttl: Math.max(config.get('usage.flushIntervalMs', { infer: true }), 1) });
    changes.onTenantChanged((tenantId) => this.forget(tenantId));
    changes.onUsageMeasured((tenantId) => this.forget(tenantId));
    changes.onPlanChanged(() => this.forget());
    changes.onAnythingMayHaveChanged(() => this.forget());
  }

  /** The tenant's standing in the current UTC month (a cached one of last month is loaded afresh). */
  async standingOf(tenantId: string): Promise<QuotaStanding> {
    const today = utcDay();
    const cached = this.cache.get(tenantId);
    if (cached && cached.figures.month === monthOf(today)) return cached;
    const generation = this.generation;
    const standing = { figures: await this.load(tenantId, today), callsSinceLoad: 0 };
    if (generation === this.generation) this.cache.set(tenantId, standing);
    return standing;
  }

  private async load(tenantId: string, today: string): Promise<QuotaFigures> {
    const days = daysOfMonthThrough(today);
    const [row]: FiguresRow[] = await this.dataSource.query(
      `SELECT p.display_name, p.storage_mb, p.max_api_calls_per_month, t.placement,
              (SELECT d.storage_bytes FROM tenant_usage_days d
                WHERE d.tenant_id = t.id AND d.measured_at IS NOT NULL ORDER BY d.day DESC LIMIT 1)::text AS storage_bytes,
              (SELECT coalesce(sum(d.api_calls), 0) FROM tenant_usage_days d
                WHERE d.tenant_id = t.id AND d.day >= $2::date)::text AS api_calls
         FROM tenants t JOIN plans p ON p.name = t.plan
        WHERE t.id = $1`,
      [tenantId, days[0]],
    );
    // Read after the database: a flush in between is then missed by both, never counted twice.
    const unflushed = this.meter.unflushedApiCalls(tenantId, days);
    return {
      planDisplayName: row?.display_name ?? '',
      // A byod tenant's data is in its own system: there is nothing of ours to fill.
      storageMb: row && row.placement !== 'byod' ? row.storage_mb : null,
      storageBytes: row?.storage_bytes != null ? Number(row.storage_bytes) : null,
      maxApiCallsPerMonth: row?.max_api_calls_per_month ?? null,
      month: monthOf(today),
      apiCallsCounted: Number(row?.api_calls ?? 0) + unflushed,
    };
  }

  private forget(tenantId?: string): void {
    this.generation += 1;
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }
}
