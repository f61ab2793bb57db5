import { ConflictException, Injectable } from '@nestjs/common';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { PlanQuota, PlanQuotas } from '../../control-plane/plans/plan-quotas.service';
import { QuotaAlerts } from '../../control-plane/alerts/quota-alerts';

/**
 * The plan's maxContacts, enforced where contacts are created. The count and the insert happen in
 * the tenant's transaction under a per-tenant advisory lock, so concurrent creations cannot
 * overshoot the quota.
 */
@Injectable()
export class ContactQuota {
  constructor(
    private readonly quotas: PlanQuotas,
    private readonly alerts: QuotaAlerts,
  ) {}

  /**
   * How many of `wanted` new contacts fit the quota (all when there is none), and the refusal of the others, counted
   * once: a batch of an import fails its rows beyond the quota without trying them. The lock is held to the end of
   * the transaction, so what is admitted stays admitted until it is written.
   */
  async admit(tx: TenantEntityManager, wanted: number): Promise<{ admitted: number; refusal?: ConflictException }> {
    const counted = await this.countUnderLock(tx);
    if (!counted) return { admitted: wanted };
    const { quota, count } = counted;
    const admitted = Math.max(0, Math.min(wanted, quota.limit - count));
    this.alerts.nearlyReached(tx.tenantId, quota, count + admitted);
    return admitted < wanted ? { admitted, refusal: quotaReached(quota, count) } : { admitted };
  }

  async assertRoomFor(tx: TenantEntityManager, more = 1): Promise<void> {
    const counted = await this.countUnderLock(tx);
    if (!counted) return;
    const { quota, count } = counted;
    if (count + more > quota.limit) throw quotaReached(quota, count);
    this.alerts.nearlyReached(tx.tenantId, quota, count + more);
  }

  /** The tenant's quota and live contacts, counted under its per-tenant lock; undefined when its plan sets none. */
  private async countUnderLock(tx: TenantEntityManager): Promise<{ quota: PlanQuota; count: number } | undefined> {
    const quota = await this.quotas.maxContacts(tx.tenantId);
    if (!quota) return undefined;
    await tx.manager.query("SELECT pg_advisory_xact_lock(hashtext('contacts:' || $1))", [tx.tenantId]);
    const [{ count }] = await tx.manager.query<Array<{ count: number }>>(
      'SELECT count(*)::int AS count FROM contacts WHERE deleted_at IS NULL',
    );
    return { quota, count };
  }
}

/** The answer to a creation beyond the plan's maxContacts, whichever placement counted. */
export function quotaReached(quota: PlanQuota, count: number): ConflictException {
  return new ConflictException({
    message: `Quota maxContacts reached: the ${quota.planDisplayName} plan allows ${quota.limit} contacts and this tenant has ${count}`,
    details: [{ field: 'quota.maxContacts', problems: [`limit ${quota.limit} reached`] }],
  });
}
