import { Column, Entity } from 'typeorm';
import { TenantOwnedRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';
import { DocumentKind, InvoiceStatus } from '../invoice-status';

/** A quote or an invoice; its totals are computed from its lines by the server. Never deleted: void it. */
@Entity({ name: 'invoices' })
export class Invoice extends TenantOwnedRecord {
  @Column({ type: 'varchar', length: 16 })
  kind: DocumentKind;

  /** Per tenant and kind, from 1 without gaps. */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 16 })
  status: InvoiceStatus;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate: string;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'text' })
  notes: string;

  @Column({ name: 'subtotal_minor', type: 'bigint', transformer: minorUnits })
  subtotalMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', transformer: minorUnits })
  taxMinor: number;

  @Column({ name: 'total_minor', type: 'bigint', transformer: minorUnits })
  totalMinor: number;

  @Column({ name: 'paid_minor', type: 'bigint', transformer: minorUnits })
  paidMinor: number;

  /** For an invoice made from a quote: that quote. */
  @Column({ name: 'quote_id', type: 'uuid', nullable: true })
  quoteId: string | null;

  /** For a converted quote: the invoice made from it. */
  @Column({ name: 'converted_invoice_id', type: 'uuid', nullable: true })
  convertedInvoiceId: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;
}
