import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [InventoryModule, TenantModulesModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
})
export class InvoicesModule {}
