import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

/** A user of the tenant working at an event, in a role (free text: "host", "technician"…). */
@Entity({ name: 'event_staff' })
export class EventStaff extends TenantOwnedRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 100 })
  role: string;
}
