import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { InventoryModule } from '../inventory/inventory.module';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { INVOICES_MODULE } from './invoices.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(INVOICES_MODULE), InventoryModule, CurrentTenantSettingsModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
})
export class InvoicesModule {}
