import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { OUTSIDE_TENANT_STORAGE } from '../../platform/access/outside-tenant-storage.decorator';
import { QuotaAlerts } from '../alerts/quota-alerts';
import { monthlyCallsRefusal, storageRefusal } from './quota-figures';
import { TenantQuotaStandings } from './tenant-quota-standings';

/** Methods that add to or change a tenant's data; DELETE stays allowed, so a tenant at its storage quota can make room. */
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Enforces the plan's quotas that no module owns, on every /api request of a tenant, from cached
 * figures (TenantQuotaStandings: no query per request): past the monthly API-call quota every
 * request answers 429 until the first of next month (UTC); at or over the storage quota, as last
 * measured, writes answer 409 (as maxContacts does) unless their controller is the tenant's
 * administration (OutsideTenantStorage). A global guard after the rate-limit guard (AuthModule),
 * so the tenant is bound and a flood is turned away before this counts it.
 */
@Injectable()
export class TenantQuotaGuard implements CanActivate {
  /** Tenant-months this process already raised the monthly-calls alert for: once is enough, the alert stays open. */
  private readonly alerted = new LRUCache<string, true>({ max: 10_000 });

  constructor(
    private readonly tenants: TenantContext,
    private readonly standings: TenantQuotaStandings,
    private readonly reflector: Reflector,
    private readonly alerts: QuotaAlerts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = this.tenants.get();
    if (!tenant) return true;
    const standing = await this.standings.standingOf(tenant.id);
    const { figures } = standing;
    const used = figures.apiCallsCounted + standing.callsSinceLoad;
    // Refused calls count as well: usage metering counts every answered call, and the quota is read from it.
    standing.callsSinceLoad += 1;
    const overMonthly = monthlyCallsRefusal(figures, used, new Date());
    if (overMonthly) throw overMonthly;
    this.alertNearMonthlyQuota(tenant.id, figures.planDisplayName, figures.maxApiCallsPerMonth, used + 1, figures.month);
    const method = context.switchToHttp().getRequest<FastifyRequest>().method;
    if (WRITES.has(method) && !this.outsideTenantStorage(context)) {
      const overStorage = storageRefusal(figures);
      if (overStorage) throw overStorage;
    }
    return true;
  }

  private outsideTenantStorage(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(OUTSIDE_TENANT_STORAGE, [context.getHandler(), context.getClass()]) === true;
  }

  private alertNearMonthlyQuota(tenantId: string, planDisplayName: string, limit: number | null, used: number, month: string): void {
    const key = `${tenantId}/${month}`;
    if (limit === null || this.alerted.has(key)) return;
    if (this.alerts.nearlyReached(tenantId, { planDisplayName, limit }, used, 'maxApiCallsPerMonth')) this.alerted.set(key, true);
  }
}
