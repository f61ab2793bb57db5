import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ALERT_KINDS = [
  'provisioning_failed',
  'byod_breaker_open',
  'connection_budget_timeouts',
  'quota_nearly_reached',
  'webhook_endpoint_disabled',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Something a platform admin must look at; one open alert per kind and subject (migration PlatformAlerts). */
@Entity({ name: 'platform_alerts' })
export class PlatformAlert {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 48 })
  kind: AlertKind;

  /** What it is about: a tenant id, a server, a process. */
  @Column({ type: 'varchar', length: 128 })
  subject: string;

  /** The latest occurrence's words. */
  @Column({ type: 'varchar', length: 1000 })
  message: string;

  @Column({ type: 'integer', default: 1 })
  occurrences: number;

  @Column({ name: 'first_raised_at', type: 'timestamptz', precision: 3, insert: false, update: false })
  firstRaisedAt: Date;

  @Column({ name: 'last_raised_at', type: 'timestamptz', precision: 3, insert: false })
  lastRaisedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;
}
