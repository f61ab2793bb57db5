import { Module } from '@nestjs/common';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { TenantModulesController } from './tenant-modules.controller';
import { TenantModulesService } from './tenant-modules.service';

/** /api/tenant/modules and /api/tenant/settings: which modules a tenant uses, within its plan. */
@Module({
  imports: [CurrentTenantSettingsModule],
  controllers: [TenantModulesController],
  providers: [TenantModulesService],
  exports: [TenantModulesService],
})
export class TenantModulesModule {}
