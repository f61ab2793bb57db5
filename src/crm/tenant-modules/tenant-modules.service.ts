import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import { ModulesDecision, TenantSettingsService } from '../../control-plane/tenant-settings/tenant-settings.service';
import { TenantModuleDto, UpdateTenantSettingsDto } from './dto/tenant-module.dto';
import { assertEnableable, catalogModules, missingSettings, moduleDefinition } from '../../platform/tenant-modules/module-catalog';

/** The current tenant's modules and settings, as its tenant admin manages them within the plan. */
@Injectable()
export class TenantModulesService {
  constructor(
    private readonly tenantSettings: TenantSettingsService,
    private readonly current: CurrentTenantSettings,
    private readonly context: TenantContext,
  ) {}

  async list(): Promise<TenantModuleDto[]> {
    const { enabledModules, settings, plan } = await this.tenantSettings.moduleState(this.tenantId());
    const servedFromOwnSystem = this.context.require().recordStore === 'mapped';
    return catalogModules().map(({ name, description, mappable }) => ({
      name,
      description,
      enabled: enabledModules.includes(name),
      inPlan: plan.modules.includes(name),
      missingSettings: missingSettings(name, settings),
      served: !servedFromOwnSystem || mappable !== undefined,
    }));
  }

  enable(module: string): Promise<TenantModuleDto[]> {
    return this.change(module, 'tenant.module.enable', ({ plan, settings, enabledModules }) => {
      if (!plan.modules.includes(module))
        throw new ForbiddenException(`The ${plan.displayName} plan does not include the ${module} module`);
      assertEnableable(module, settings);
      return enabledModules.includes(module) ? undefined : [...enabledModules, module];
    });
  }

  disable(module: string): Promise<TenantModuleDto[]> {
    return this.change(module, 'tenant.module.disable', ({ enabledModules }) =>
      enabledModules.includes(module) ? enabledModules.filter((name) => name !== module) : undefined,
    );
  }

  updateSettings(dto: UpdateTenantSettingsDto): Promise<Record<string, string>> {
    return this.tenantSettings.updateSettings(this.tenantId(), dto);
  }

  settings(): Promise<Record<string, string>> {
    return this.current.settings();
  }

  private async change(module: string, action: string, decide: ModulesDecision): Promise<TenantModuleDto[]> {
    if (!moduleDefinition(module)) throw new NotFoundException(`There is no module "${module}"`);
    await this.tenantSettings.changeModules(this.tenantId(), decide, { action, changes: { module } });
    return this.list();
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
