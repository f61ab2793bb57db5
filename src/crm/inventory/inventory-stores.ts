import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { InventoryService } from './inventory.service';
import { InventoryStore } from './inventory-store';
import { MappedInventoryStore } from './mapped-inventory.store';

/** The current tenant's inventory store: its own, or mapped onto its own system; the routes are the same for both. */
export class InventoryStores extends PlacementStores<InventoryStore>(InventoryService, MappedInventoryStore) {}
