import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { InventoryService } from './inventory.service';
import { InventoryStore } from './inventory-store';
import { MappedInventoryStore } from './mapped-inventory.store';

/** Picks the current tenant's inventory store by its placement; the routes are the same for all. */
@Injectable()
export class InventoryStores {
  constructor(
    private readonly context: TenantContext,
    private readonly own: InventoryService,
    private readonly mapped: MappedInventoryStore,
  ) {}

  current(): InventoryStore {
    return this.context.require().placement === 'byod' ? this.mapped : this.own;
  }
}
