import { BadRequestException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Plan } from '../schema/plan.entity';

/** Refuses, naming the field, a plan name no plan has (plans are data: platform admins create and delete them). */
export async function assertKnownPlan(manager: EntityManager, name: string, field = 'plan'): Promise<void> {
  if (await manager.exists(Plan, { where: { name } })) return;
  throw new BadRequestException({
    message: `${field} "${name}" is not a plan (GET /control/plans lists them)`,
    details: [{ field, problems: ['no such plan'] }],
  });
}
