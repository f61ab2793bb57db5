import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

/** One date of an event: start and end instants, and the IANA time zone it is held in. */
@Entity({ name: 'event_dates' })
export class EventDate extends TenantOwnedRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;
}
