import { Injectable } from '@nestjs/common';
import { MappedCollection } from '../../../libs/byod';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { PlanQuotas } from '../../control-plane/plans/plan-quotas.service';
import { QuotaAlerts } from '../../control-plane/alerts/quota-alerts';
import { quotaReached } from './contact-quota';

/**
 * The plan's maxContacts on a byod tenant's own contacts table: its rows are counted there (no
 * further than the limit) before each create. No lock spans the customer's system and ours, so
 * creations of one tenant are serialised within this process; several processes creating the
 * tenant's last contacts at the same instant may overshoot by one each.
 */
@Injectable()
export class MappedContactQuota {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly quotas: PlanQuotas,
    private readonly context: TenantContext,
    private readonly alerts: QuotaAlerts,
  ) {}

  async creating<T>(table: MappedCollection, create: () => Promise<T>): Promise<T> {
    const tenantId = this.context.require().id;
    const quota = await this.quotas.maxContacts(tenantId);
    if (!quota) return create();
    return this.oneAtATime(tenantId, async () => {
      const count = await table.countUpTo(quota.limit);
      if (count >= quota.limit) throw quotaReached(quota, count);
      const created = await create();
      this.alerts.nearlyReached(tenantId, quota, count + 1);
      return created;
    });
  }

  private async oneAtATime<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(tenantId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    this.queues.set(tenantId, mine);
    try {
      return await mine;
    } finally {
      if (this.queues.get(tenantId) === mine) this.queues.delete(tenantId);
    }
  }
}
