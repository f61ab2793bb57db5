import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What a tenant's subscription allows: quotas (null: unlimited) and the modules it brings. */
@Entity({ name: 'plans' })
export class Plan {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ name: 'max_users', type: 'integer', nullable: true })
  maxUsers: number | null;

  @Column({ name: 'max_contacts', type: 'integer', nullable: true })
  maxContacts: number | null;

  @Column({ name: 'storage_mb', type: 'integer', nullable: true })
  storageMb: number | null;

  /** Calls to /api per UTC calendar month, counted by usage metering. */
  @Column({ name: 'max_api_calls_per_month', type: 'integer', nullable: true })
  maxApiCallsPerMonth: number | null;

  /** Requests per minute to /api of all the tenant's users and keys together. */
  @Column({ name: 'tenant_requests_per_minute', type: 'integer', nullable: true })
  tenantRequestsPerMinute: number | null;

  /** Requests per minute to /api of each user, and of each API key, of the tenant. */
  @Column({ name: 'principal_requests_per_minute', type: 'integer', nullable: true })
  principalRequestsPerMinute: number | null;

  @Column({ type: 'text', array: true })
  modules: string[];

  /** Where self-service registrations of this plan are placed. */
  @Column({ name: 'default_placement', type: 'varchar', length: 16 })
  defaultPlacement: 'pooled' | 'dedicated';

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
