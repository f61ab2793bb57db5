import { ForbiddenException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Plan } from '../schema/plan.entity';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { Tenant } from '../schema/tenant.entity';

/**
 * What the caller of `PATCH /control/tenants/:id` may change beyond the name. Platform admins may
 * change everything; a super admin changes the plan (and with it the quotas) only where a
 * platform admin allowed it, and enables only modules of the tenant's plan, as its tenant admin could.
 */
export interface TenantEditRights {
  plan: boolean;
  modulesOutsidePlan: boolean;
}

export const PLATFORM_ADMIN_RIGHTS: TenantEditRights = { plan: true, modulesOutsidePlan: true };

export const superAdminRights = (mayChangePlan: boolean): TenantEditRights => ({ plan: mayChangePlan, modulesOutsidePlan: false });

/** 403 naming each field of the change the rights do not cover; values sent unchanged are not a change. */
export async function assertMayEdit(manager: EntityManager, tenant: Tenant, dto: UpdateTenantDto, rights: TenantEditRights): Promise<void> {
  const details: Array<{ field: string; problems: string[] }> = [];
  const changesPlan = dto.plan !== undefined && dto.plan !== tenant.plan;
  if (changesPlan && !rights.plan)
    details.push({ field: 'plan', problems: ['a platform admin has not allowed you to change this tenant’s plan'] });
  const added = (dto.enabledModules ?? []).filter((module) => !tenant.enabledModules.includes(module));
  if (added.length > 0 && !rights.modulesOutsidePlan) {
    const planName = changesPlan && rights.plan ? dto.plan! : tenant.plan;
    const plan = await manager.findOneByOrFail(Plan, { name: planName });
    const outside = added.filter((module) => !plan.modules.includes(module));
    if (outside.length)
      details.push({ field: 'enabledModules', problems: outside.map((module) => `${module} is not in the ${plan.displayName} plan`) });
  }
  if (details.length)
    throw new ForbiddenException({ message: `You may not change: ${details.map((detail) => detail.field).join(', ')}`, details });
}
