import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { InventoryModule } from '../inventory/inventory.module';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { INVOICES_MODULE } from './invoices.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(INVOICES_MODULE), InventoryModule, TenantModulesModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
})
export class InvoicesModule {}
