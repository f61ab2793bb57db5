import { Module } from '@nestjs/common';
import { CurrentTenantSettings } from './current-tenant-settings';
import { TenantSettingsModule } from './tenant-settings.module';

/** The settings of the request's tenant, for tenant-data modules (needs the tenant binding). */
@Module({
  imports: [TenantSettingsModule],
  providers: [CurrentTenantSettings],
  exports: [CurrentTenantSettings, TenantSettingsModule],
})
export class CurrentTenantSettingsModule {}
