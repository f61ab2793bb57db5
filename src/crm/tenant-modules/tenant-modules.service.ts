import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { AccessChanges } from '../../control-plane/access-changes';
import { AuditService } from '../../control-plane/audit/audit.service';
import { Plan } from '../../control-plane/plans/entities/plan.entity';
import { Tenant } from '../../control-plane/tenants/entities/tenant.entity';
import { TenantModuleDto, UpdateTenantSettingsDto } from './dto/tenant-module.dto';
import { assertEnableable, catalogModules, missingSettings, moduleDefinition } from '../../platform/tenant-modules/module-catalog';

/** The current tenant's modules and settings, as its tenant admin manages them within the plan. */
@Injectable()
export class TenantModulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  async list(): Promise<TenantModuleDto[]> {
    const tenant = await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: this.tenantId() });
    const plan = await this.dataSource.getRepository(Plan).findOneByOrFail({ name: tenant.plan });
    return catalogModules().map(({ name, description }) => ({
      name,
      description,
      enabled: tenant.enabledModules.includes(name),
      inPlan: plan.modules.includes(name),
      missingSettings: missingSettings(name, tenant.settings),
    }));
  }

  enable(module: string): Promise<TenantModuleDto[]> {
    return this.change(async (manager, tenant) => {
      const plan = await manager.findOneByOrFail(Plan, { name: tenant.plan });
      if (!plan.modules.includes(module)) throw new ForbiddenException(`The ${plan.displayName} plan does not include the ${module} module`);
      assertEnableable(module, tenant.settings);
      if (tenant.enabledModules.includes(module)) return false;
      tenant.enabledModules = [...tenant.enabledModules, module];
      return true;
    }, module, 'tenant.module.enable');
  }

  disable(module: string): Promise<TenantModuleDto[]> {
    return this.change(async (_manager, tenant) => {
      if (!tenant.enabledModules.includes(module)) return false;
      tenant.enabledModules = tenant.enabledModules.filter((name) => name !== module);
      return true;
    }, module, 'tenant.module.disable');
  }

  async updateSettings(dto: UpdateTenantSettingsDto): Promise<Record<string, string>> {
    const tenantId = this.tenantId();
    const settings = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      const next = { ...tenant.settings, ...Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) };
      await manager.update(Tenant, { id: tenantId }, { settings: next });
      await this.audit.record(manager, { action: 'tenant.settings.update', targetType: 'tenant', targetId: tenantId, tenantId, changes: { ...dto } });
      return next;
    });
    this.changes.tenantChanged(tenantId);
    return settings;
  }

  async settings(): Promise<Record<string, string>> {
    return (await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: this.tenantId() })).settings;
  }

  private async change(apply: (manager: EntityManager, tenant: Tenant) => Promise<boolean>, module: string, action: string): Promise<TenantModuleDto[]> {
    if (!moduleDefinition(module)) throw new NotFoundException(`There is no module "${module}"`);
    const tenantId = this.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!(await apply(manager, tenant))) return;
      await manager.update(Tenant, { id: tenantId }, { enabledModules: tenant.enabledModules });
      await this.audit.record(manager, { action, targetType: 'tenant', targetId: tenantId, tenantId, changes: { module } });
    });
    this.changes.tenantChanged(tenantId);
    return this.list();
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
