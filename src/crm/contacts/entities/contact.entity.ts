import { Column, Entity, OneToMany } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { ContactAccount } from './contact-account.entity';

/** A person; linked to any number of accounts. Deleting one is soft. */
@Entity({ name: 'contacts' })
export class Contact extends SoftDeletableRecord {
  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ name: 'job_title', type: 'varchar', length: 100, nullable: true })
  jobTitle: string | null;

  @Column({ name: 'owner_user_id', type: 'uuid', nullable: true })
  ownerUserId: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb' })
  customFields: Record<string, unknown>;

  @OneToMany(() => ContactAccount, (link) => link.contact)
  accounts: ContactAccount[];
}
