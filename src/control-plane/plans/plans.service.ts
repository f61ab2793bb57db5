import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { CreatePlanDto, PlanDto, UpdatePlanDto } from './dto/plan.dto';
import { Plan } from '../schema/plan.entity';
import { Tenant } from '../schema/tenant.entity';

const EDITABLE = [
  'displayName',
  'maxUsers',
  'maxContacts',
  'storageMb',
  'maxApiCallsPerMonth',
  'tenantRequestsPerMinute',
  'principalRequestsPerMinute',
  'modules',
  'defaultPlacement',
] as const;

/**
 * Plans as platform admins create, edit and delete them, each change audited. Every process's
 * cached rate limits and quota figures follow an edit at once: the plans trigger announces it on
 * the change feed, and this process is told right after the commit.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  async list(): Promise<PlanDto[]> {
    const plans = await this.dataSource.getRepository(Plan).find({ order: { name: 'ASC' } });
    return plans.map(PlanDto.from);
  }

  async get(name: string): Promise<PlanDto> {
    return PlanDto.from(await this.findOrFail(this.dataSource.manager, name));
  }

  exists(name: string): Promise<boolean> {
    return this.dataSource.manager.exists(Plan, { where: { name } });
  }

  /** The plan, or null when there is none of that name. */
  find(manager: EntityManager, name: string): Promise<Plan | null> {
    return manager.findOne(Plan, { where: { name } });
  }

  /** The plan as `manager` sees it (inside a caller's transaction). */
  findOrFail(manager: EntityManager, name: string): Promise<Plan> {
    return manager.findOne(Plan, { where: { name } }).then((plan) => {
      if (!plan) throw new NotFoundException(`Plan "${name}" not found`);
      return plan;
    });
  }

  async create(dto: CreatePlanDto): Promise<PlanDto> {
    const created = await this.dataSource.transaction(async (manager) => {
      // Taken before the check, so two creations of one name cannot both pass it.
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('plans:' || $1))", [dto.name]);
      if (await manager.exists(Plan, { where: { name: dto.name } })) {
        throw new ConflictException({ message: `Plan "${dto.name}" exists`, details: [{ field: 'name', problems: ['already in use'] }] });
      }
      const plan = manager.create(Plan, {
        name: dto.name,
        displayName: dto.displayName,
        maxUsers: dto.maxUsers ?? null,
        maxContacts: dto.maxContacts ?? null,
        storageMb: dto.storageMb ?? null,
        maxApiCallsPerMonth: dto.maxApiCallsPerMonth ?? null,
        tenantRequestsPerMinute: dto.tenantRequestsPerMinute ?? null,
        principalRequestsPerMinute: dto.principalRequestsPerMinute ?? null,
        modules: dto.modules ?? [],
        defaultPlacement: dto.defaultPlacement ?? 'pooled',
      });
      const saved = await manager.save(plan);
      const { updatedAt: _updatedAt, ...recorded } = PlanDto.from(saved);
      await this.audit.record(manager, {
        action: 'plan.create',
        targetType: 'plan',
        targetId: null,
        changes: { plan: dto.name, to: recorded },
      });
      return PlanDto.from(saved);
    });
    this.changes.planChanged(created.name);
    return created;
  }

  async update(name: string, dto: UpdatePlanDto): Promise<PlanDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(Plan, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new NotFoundException(`Plan "${name}" not found`);
      const changes: Record<string, unknown> = {};
      for (const key of EDITABLE) {
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
    this.changes.planChanged(name);
    return updated;
  }

  /** Only a plan no tenant refers to, purged tenants included (their records keep the plan they had). */
  async delete(name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(Plan, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new NotFoundException(`Plan "${name}" not found`);
      const tenants = await manager.count(Tenant, { where: { plan: name } });
      if (tenants > 0) {
        throw new ConflictException({
          message: `Plan "${name}" is the plan of ${tenants} tenant(s); move them to another plan first`,
          details: [{ field: 'name', problems: ['in use'] }],
        });
      }
      await manager.delete(Plan, { name });
      const { updatedAt: _updatedAt, ...recorded } = PlanDto.from(plan);
      await this.audit.record(manager, {
        action: 'plan.delete',
        targetType: 'plan',
        targetId: null,
        changes: { plan: name, from: recorded },
      });
    });
    this.changes.planChanged(name);
  }
}
