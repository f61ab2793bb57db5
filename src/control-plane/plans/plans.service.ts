import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PlanDto, UpdatePlanDto } from './dto/plan.dto';
import { Plan } from '../schema/plan.entity';

@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<PlanDto[]> {
    const plans = await this.dataSource.getRepository(Plan).find({ order: { name: 'ASC' } });
    return plans.map(PlanDto.from);
  }

  async get(name: string): Promise<PlanDto> {
    return PlanDto.from(await this.findOrFail(this.dataSource.manager, name));
  }

  /** The plan as `manager` sees it (inside a caller's transaction). */
  findOrFail(manager: EntityManager, name: string): Promise<Plan> {
    return manager.findOne(Plan, { where: { name } }).then((plan) => {
      if (!plan) throw new NotFoundException(`Plan "${name}" not found`);
      return plan;
    });
  }

  async update(name: string, dto: UpdatePlanDto): Promise<PlanDto> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(Plan, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new NotFoundException(`Plan "${name}" not found`);
      const changes: Record<string, unknown> = {};
      for (const key of [
        'displayName',
        'maxUsers',
        'maxContacts',
        'storageMb',
        'tenantRequestsPerMinute',
        'principalRequestsPerMinute',
        'modules',
        'defaultPlacement',
      ] as const) {
        const next = dto[key];
        if (next !== undefined && JSON.stringify(next) !== JSON.stringify(plan[key])) {
          changes[key] = { from: plan[key], to: next };
          Object.assign(plan, { [key]: next });
        }
      }
      if (Object.keys(changes).length === 0) return PlanDto.from(plan);
      const saved = await manager.save(plan);
      await this.audit.record(manager, { action: 'plan.update', targetType: 'plan', targetId: null, changes: { plan: name, ...changes } });
      return PlanDto.from(saved);
    });
  }
}
