import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { DealsController } from './deals.controller';
import { DealsService } from './deals.service';
import { DealsStores } from './deals-stores';
import { MappedDealsStore } from './mapped-deals.store';
import { ByodModule } from '../mapped-sources/byod.module';
import { DEALS_MODULE } from './deals.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(DEALS_MODULE), CustomFieldsModule, CurrentTenantSettingsModule, ByodModule],
  controllers: [DealsController],
  providers: [DealsService, MappedDealsStore, DealsStores],
})
export class DealsModule {}
