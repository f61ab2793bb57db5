import { ConflictException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantMembership } from '../schema/tenant-membership.entity';
import { Plan } from '../schema/plan.entity';

/** Refuses one more member when the tenant's plan has no room for them (run in the adding transaction, tenant row locked). */
export async function assertUserQuota(manager: EntityManager, tenant: { id: string; plan: string }): Promise<void> {
  const plan = await manager.findOneOrFail(Plan, { where: { name: tenant.plan } });
  if (plan.maxUsers === null) return;
  const members = await manager.count(TenantMembership, { where: { tenantId: tenant.id } });
  if (members >= plan.maxUsers) {
    throw new ConflictException({
      message: `Quota maxUsers reached: the ${plan.displayName} plan allows ${plan.maxUsers} users and this tenant has ${members}`,
      details: [{ field: 'quota.maxUsers', problems: [`limit ${plan.maxUsers} reached`] }],
    });
  }
}
