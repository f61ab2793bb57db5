import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { assertEnableable, missingSettings } from '../../platform/tenant-modules/module-catalog';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { assertKnownPlan } from '../plans/known-plan';
import { Plan } from '../schema/plan.entity';
import { TenantMovesService } from '../tenant-moves/tenant-moves.service';
import { TenantSettingsService } from '../tenant-settings/tenant-settings.service';
import { PlacementChangeDto } from './dto/placement-change.dto';
import { TenantDto, TenantUpdatedDto } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { Tenant } from '../schema/tenant.entity';
import { assertMayEdit, TenantEditRights } from './tenant-edit-rights';
import { findTenantOrFail } from './tenant-rows';

/**
 * A tenant's name, plan and enabled modules as its administrators change them. A new plan that
 * places its tenants elsewhere (its default placement) than the tenant lives offers the move, and
 * with `startMove` starts it in the same transaction.
 */
@Injectable()
export class TenantUpdates {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: TenantSettingsService,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
    private readonly moves: TenantMovesService,
  ) {}

  async update(id: string, dto: UpdateTenantDto, rights: TenantEditRights, startMove = false): Promise<TenantUpdatedDto> {
    const updated = await this.dataSource.transaction(async (manager): Promise<TenantUpdatedDto> => {
      const tenant = await findTenantOrFail(manager, id, true);
      if (dto.plan !== undefined && dto.plan !== tenant.plan) await assertKnownPlan(manager, dto.plan);
      await assertMayEdit(manager, tenant, dto, rights);
      for (const module of dto.enabledModules ?? []) {
        if (!tenant.enabledModules.includes(module)) assertEnableable(module, tenant.settings);
      }
      const changes: Record<string, unknown> = {};
      const next = { name: tenant.name, plan: tenant.plan, enabledModules: tenant.enabledModules };
      for (const key of ['name', 'plan', 'enabledModules'] as const) {
        const value = dto[key];
        if (value !== undefined && JSON.stringify(value) !== JSON.stringify(tenant[key])) {
          changes[key] = { from: tenant[key], to: value };
          Object.assign(next, { [key]: value });
        }
      }
      // A new plan brings its modules unless the caller chose the modules; those lacking settings wait for them.
      const awaiting = changes.plan && dto.enabledModules === undefined ? await this.enablePlanModules(manager, tenant, next, changes) : [];
      if (Object.keys(changes).length === 0) return { ...TenantDto.from(tenant), modulesAwaitingSettings: [] };
      const saved = await this.save(manager, tenant, next, changes);
      const placementChange = changes.plan ? await this.placementChange(manager, tenant, next.plan, startMove) : undefined;
      const audited = placementChange
        ? { ...changes, placementChange: { from: placementChange.from, to: placementChange.to, moveId: placementChange.move?.id ?? null } }
        : changes;
      await this.audit.record(manager, { action: 'tenant.update', targetType: 'tenant', targetId: id, tenantId: id, changes: audited });
      return { ...TenantDto.from(saved), modulesAwaitingSettings: awaiting, ...(placementChange ? { placementChange } : {}) };
    });
    this.changes.tenantChanged(id);
    if (updated.placementChange?.move) this.moves.wake();
    return updated;
  }

  /** The move a new plan calls for, if it places its tenants elsewhere than this one lives (a byod tenant lives in its own system). */
  private async placementChange(
    manager: EntityManager,
    tenant: Tenant,
    planName: string,
    startMove: boolean,
  ): Promise<PlacementChangeDto | undefined> {
    const plan = await manager.findOneByOrFail(Plan, { name: planName });
    if (tenant.placement === 'byod' || tenant.placement === plan.defaultPlacement) return undefined;
    const to = plan.defaultPlacement;
    return {
      from: tenant.placement,
      to,
      startMove: { method: 'POST', path: `/control/tenants/${tenant.id}/moves`, body: { placement: to } },
      move: startMove ? await this.moves.startIn(manager, tenant.id, to) : null,
    };
  }

  /** Enables the modules of the tenant's (new) plan that have their settings; returns the ones still waiting for settings. */
  private async enablePlanModules(
    manager: EntityManager,
    tenant: Tenant,
    next: { plan: string; enabledModules: string[] },
    changes: Record<string, unknown>,
  ): Promise<string[]> {
    const plan = await manager.findOneOrFail(Plan, { where: { name: next.plan } });
    const missing = plan.modules.filter((module) => !next.enabledModules.includes(module));
    const enableable = missing.filter((module) => missingSettings(module, tenant.settings).length === 0);
    if (enableable.length > 0) {
      changes.enabledModules = { from: next.enabledModules, to: [...next.enabledModules, ...enableable] };
      next.enabledModules = [...next.enabledModules, ...enableable];
    }
    return missing.filter((module) => !enableable.includes(module));
  }

  /** The row's own columns here, the enabled modules through their one writer; the answer is the row as committed. */
  private async save(
    manager: EntityManager,
    tenant: Tenant,
    next: { name: string; plan: string; enabledModules: string[] },
    changes: Record<string, unknown>,
  ): Promise<Tenant> {
    if (changes.name || changes.plan) await manager.update(Tenant, { id: tenant.id }, { name: next.name, plan: next.plan });
    if (changes.enabledModules) await this.settings.setModulesWithin(manager, tenant.id, next.enabledModules);
    return findTenantOrFail(manager, tenant.id);
  }
}
