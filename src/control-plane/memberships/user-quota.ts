import { ConflictException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlanQuota } from '../plans/plan-quotas.service';
import { TenantMembership } from '../schema/tenant-membership.entity';
import { Plan } from '../schema/plan.entity';

/**
 * Refuses one more member when the tenant's plan has no room for them (run in the adding
 * transaction, tenant row locked). Answers the quota and the members there will be with the new
 * one (for the quota alert), or null when the plan has no user quota.
 */
export async function assertUserQuota(
  manager: EntityManager,
  tenant: { id: string; plan: string },
): Promise<{ quota: PlanQuota; used: number } | null> {
  const plan = await manager.findOneOrFail(Plan, { where: { name: tenant.plan } });
  if (plan.maxUsers === null) return null;
  const members = await manager.count(TenantMembership, { where: { tenantId: tenant.id } });
  if (members >= plan.maxUsers) {
    throw new ConflictException({
      message: `Quota maxUsers reached: the ${plan.displayName} plan allows ${plan.maxUsers} users and this tenant has ${members}`,
      details: [{ field: 'quota.maxUsers', problems: [`limit ${plan.maxUsers} reached`] }],
    });
  }
  return { quota: { planDisplayName: plan.displayName, limit: plan.maxUsers }, used: members + 1 };
}
