import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

export const MOVEMENT_KINDS = ['receive', 'sell', 'adjust', 'reserve', 'release'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One change of an item's stock or reservations: who, why, when, and the levels it left. */
@Entity({ name: 'inventory_movements' })
export class InventoryMovement extends TenantOwnedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: MovementKind;

  /** Units moved; only `adjust` may be negative. */
  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'stock_after', type: 'integer' })
  stockAfter: number;

  @Column({ name: 'reserved_after', type: 'integer' })
  reservedAfter: number;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reference: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
