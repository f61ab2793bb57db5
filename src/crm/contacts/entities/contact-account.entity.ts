import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { Contact } from './contact.entity';

/** A contact's link to an account, with their role there (e.g. "CFO", "billing contact"). */
@Entity({ name: 'contact_accounts' })
export class ContactAccount extends TenantOwnedRow {
  @PrimaryColumn({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 100 })
  role: string;

  @ManyToOne(() => Contact, (contact) => contact.accounts)
  @JoinColumn([
    { name: 'tenant_id', referencedColumnName: 'tenantId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  // Relation<> keeps the design-time type metadata from naming Contact, which imports this file back.
  contact: Relation<Contact>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
