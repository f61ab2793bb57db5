import { Module } from '@nestjs/common';
import { ByodModule } from '../mapped-sources/byod.module';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { InventoryStores } from './inventory-stores';
import { MappedInventoryStore } from './mapped-inventory.store';
import { StockMovements } from './stock-movements';

@Module({
  imports: [TenantModulesModule, ByodModule],
  controllers: [InventoryController],
  providers: [InventoryService, MappedInventoryStore, InventoryStores, StockMovements],
  exports: [StockMovements],
})
export class InventoryModule {}
