import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';

/** Money received against an invoice; together never more than its total. */
@Entity({ name: 'invoice_payments' })
export class InvoicePayment extends TenantOwnedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnits })
  amountMinor: number;

  @Column({ name: 'paid_on', type: 'date' })
  paidOn: string;

  @Column({ type: 'varchar', length: 32 })
  method: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reference: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
