import { Column, Entity } from 'typeorm';
import { TenantOwnedRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';

/** A tenant's note: the first tenant-data entity, living in the one tenant schema. */
@Entity({ name: 'notes' })
export class Note extends TenantOwnedRecord {
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  body: string;

  /** Another note of the same tenant (the foreign key includes tenant_id). */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;
}
