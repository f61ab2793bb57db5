import { Column, Entity } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';

export const ITEM_STATUSES = ['available', 'reserved', 'sold', 'archived'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** A stock item. Its stock and reservations change only through movements; deleting one is soft. */
@Entity({ name: 'inventory_items' })
export class InventoryItem extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'stock_on_hand', type: 'integer' })
  stockOnHand: number;

  @Column({ type: 'integer' })
  reserved: number;

  @Column({ name: 'low_stock_threshold', type: 'integer' })
  lowStockThreshold: number;

  @Column({ name: 'price_selling_minor', type: 'bigint', transformer: minorUnits })
  priceSellingMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16 })
  status: ItemStatus;
}
