import { Column, Entity } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';

export const EVENT_STATUSES = ['planned', 'confirmed', 'cancelled', 'completed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Something the tenant runs on one or more dates, somewhere, with staff. Deleting one is soft. */
@Entity({ name: 'events' })
export class Event extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  type: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: EventStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'owner_user_id', type: 'uuid', nullable: true })
  ownerUserId: string | null;
}
