import { Module } from '@nestjs/common';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { StockMovements } from './stock-movements';

@Module({
  imports: [TenantModulesModule],
  controllers: [InventoryController],
  providers: [InventoryService, StockMovements],
  exports: [StockMovements],
})
export class InventoryModule {}
