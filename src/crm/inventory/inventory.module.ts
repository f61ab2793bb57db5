import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ByodModule } from '../mapped-sources/byod.module';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { InventoryStores } from './inventory-stores';
import { MappedInventoryStore } from './mapped-inventory.store';
import { StockMovements } from './stock-movements';
import { INVENTORY_MODULE } from './inventory.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(INVENTORY_MODULE), CurrentTenantSettingsModule, ByodModule],
  controllers: [InventoryController],
  providers: [InventoryService, MappedInventoryStore, InventoryStores, StockMovements],
  exports: [StockMovements, InventoryStores, MappedInventoryStore],
})
export class InventoryModule {}
