import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';

/** One line of a deal: quantity × unit price, in the deal's currency. */
@Entity({ name: 'deal_line_items' })
export class DealLineItem extends TenantOwnedRow {
  @PrimaryColumn({ name: 'deal_id', type: 'uuid' })
  dealId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'unit_price_minor', type: 'bigint', transformer: minorUnits })
  unitPriceMinor: number;
}
