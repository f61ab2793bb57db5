import { Column, Entity } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'task', 'note'] as const;
export const RELATED_TYPES = ['account', 'contact', 'deal'] as const;

/** A call, e-mail, meeting, task or note about an account, contact or deal. Tasks have a due date and get completed. */
@Entity({ name: 'activities' })
export class Activity extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 16 })
  type: (typeof ACTIVITY_TYPES)[number];

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'related_type', type: 'varchar', length: 16 })
  relatedType: (typeof RELATED_TYPES)[number];

  @Column({ name: 'related_id', type: 'uuid' })
  relatedId: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  @Column({ name: 'owner_user_id', type: 'uuid', nullable: true })
  ownerUserId: string | null;
}
