import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One date of an event: start and end instants, and the IANA time zone it is held in. */
@Entity({ name: 'event_dates' })
export class EventDate {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

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
