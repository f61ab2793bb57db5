import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { InventoryItem } from './entities/inventory-item.entity';
import { InventoryMovement } from './entities/inventory-movement.entity';

const INVENTORY_STATUSES = ['available', 'reserved', 'sold', 'archived'] as const;

const INVENTORY_PERMISSIONS = {
  'inventory.read': 'Read stock items and their movements',
  'inventory.write': 'Create, change, archive and delete stock items, and move stock',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof INVENTORY_PERMISSIONS, true> {}
}

export const INVENTORY_MODULE = declareTenantModule({
  name: 'inventory',
  description: 'Stock items and movements',
  toggleable: true,
  entities: [InventoryItem, InventoryMovement],
  permissions: INVENTORY_PERMISSIONS,
  memberPermissions: ['inventory.read', 'inventory.write'],
  requiredSettings: ['currency'],
  // Prices may live in a decimal column (major units, at most 2 places: cents) or an integer one (minor units); the SKU is the customer's key.
  mappable: {
    inventory_item: {
      sku: { accepts: ['text'], required: true, key: true },
      name: { accepts: ['text'], required: true },
      stock_on_hand: { accepts: ['integer'], required: true },
      price_selling_minor: { accepts: ['integer', 'decimal'], required: true, decimalPlaces: 2 },
      currency: { accepts: ['text'], required: false },
      status: { accepts: ['text'], required: false, enum: INVENTORY_STATUSES },
      low_stock_threshold: { accepts: ['integer'], required: false },
      created_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
      updated_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
    },
  },
});
