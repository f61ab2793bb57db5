import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';

/** One line of a quote or invoice: a stock item or free text; amounts as computed when it was saved. */
@Entity({ name: 'invoice_lines' })
export class InvoiceLine extends TenantOwnedRow {
  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ name: 'item_id', type: 'uuid', nullable: true })
  itemId: string | null;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  /** numeric(12,3), kept as the decimal string PostgreSQL returns. */
  @Column({ type: 'numeric', precision: 12, scale: 3 })
  quantity: string;

  @Column({ name: 'unit_price_minor', type: 'bigint', transformer: minorUnits })
  unitPriceMinor: number;

  /** Percent, numeric(5,2), as a decimal string. */
  @Column({ name: 'tax_rate', type: 'numeric', precision: 5, scale: 2 })
  taxRate: string;

  @Column({ name: 'net_minor', type: 'bigint', transformer: minorUnits })
  netMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', transformer: minorUnits })
  taxMinor: number;
}
