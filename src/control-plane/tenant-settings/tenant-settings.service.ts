import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { Plan } from '../schema/plan.entity';
import { Tenant } from '../schema/tenant.entity';
import { TenantProfile } from './tenant-profile';

/** The modules a tenant has enabled, what its plan offers, and the settings modules may require. */
export interface TenantModuleState {
  enabledModules: string[];
  settings: Record<string, string>;
  plan: { name: string; displayName: string; modules: string[] };
}

/** A change of the enabled modules, decided with the tenant row locked: the next list, or undefined for no change. */
export type ModulesDecision = (state: TenantModuleState) => string[] | undefined;

/**
 * A tenant's profile, settings and enabled modules. The only writer of `enabled_modules` and
 * `settings`: provisioning seeds them, platform admins and the tenant's admin change them here.
 */
@Injectable()
export class TenantSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  async profile(tenantId: string): Promise<TenantProfile> {
    const tenant = await this.dataSource.getRepository(Tenant).findOne({ where: { id: tenantId } });
    if (!tenant) throw new NotFoundException(`Tenant ${tenantId} not found`);
    return tenant;
  }

  async settings(tenantId: string): Promise<Record<string, string>> {
    return (await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: tenantId })).settings;
  }

  async moduleState(tenantId: string): Promise<TenantModuleState> {
    return this.moduleStateWithin(this.dataSource.manager, await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: tenantId }));
  }

  /** Applies a change of the tenant's modules and audits it as `action`; nothing is written when the decision is no change. */
  async changeModules(
    tenantId: string,
    decide: ModulesDecision,
    audit: { action: string; changes: Record<string, unknown> },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tenant = await this.lock(manager, tenantId);
      const next = decide(await this.moduleStateWithin(manager, tenant));
      if (!next) return;
      await this.setModulesWithin(manager, tenantId, next);
      await this.audit.record(manager, {
        action: audit.action,
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: audit.changes,
      });
    });
    this.changes.tenantChanged(tenantId);
  }

  /** Merges the given settings over the tenant's (absent ones stay) and audits the change. */
  async updateSettings(tenantId: string, patch: object): Promise<Record<string, string>> {
    const settings = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.lock(manager, tenantId);
      const next = { ...tenant.settings, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
      await manager.update(Tenant, { id: tenantId }, { settings: next });
      await this.audit.record(manager, {
        action: 'tenant.settings.update',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: { ...patch },
      });
      return next;
    });
    this.changes.tenantChanged(tenantId);
    return settings;
  }

  /** Sets the enabled modules in the caller's transaction, which audits and announces the change. */
  async setModulesWithin(manager: EntityManager, tenantId: string, enabledModules: string[]): Promise<void> {
    await manager.update(Tenant, { id: tenantId }, { enabledModules });
  }

  /** Provisioning's first modules and settings, in the caller's transaction. */
  async seedWithin(
    manager: EntityManager,
    tenantId: string,
    seeded: { enabledModules: string[]; settings: Record<string, string> },
  ): Promise<void> {
    await manager.update(Tenant, { id: tenantId }, seeded);
  }

  private async moduleStateWithin(manager: EntityManager, tenant: Tenant): Promise<TenantModuleState> {
    const plan = await manager.findOneByOrFail(Plan, { name: tenant.plan });
    return {
      enabledModules: tenant.enabledModules,
      settings: tenant.settings,
      plan: { name: plan.name, displayName: plan.displayName, modules: plan.modules },
    };
  }

  private lock(manager: EntityManager, tenantId: string): Promise<Tenant> {
    return manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
  }
}
