import { Column, Entity } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';

/** A company the tenant works with. Deleting one is soft (`deletedAt`), so it can be restored. */
@Entity({ name: 'accounts' })
export class Account extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 253, nullable: true })
  domain: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  industry: string | null;

  /** A user of the tenant (control plane), not enforced by a foreign key across databases. */
  @Column({ name: 'owner_user_id', type: 'uuid', nullable: true })
  ownerUserId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  street: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city: string | null;

  @Column({ name: 'postal_code', type: 'varchar', length: 20, nullable: true })
  postalCode: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb' })
  customFields: Record<string, unknown>;
}
