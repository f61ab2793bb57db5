import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One tenant's usage on one UTC day. See migrations/control-plane/1764093000000-TenantUsage.ts. */
@Entity({ name: 'tenant_usage_days' })
export class TenantUsageDay {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** `YYYY-MM-DD`, UTC. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  /** bigint columns arrive as strings from node-postgres. */
  @Column({ name: 'api_calls', type: 'bigint' })
  apiCalls: string;

  @Column({ type: 'bigint' })
  writes: string;

  @Column({ name: 'active_users', type: 'integer' })
  activeUsers: number;

  /** Rows of each tenant table, by table name; null until the day's measurement ran. */
  @Column({ name: 'rows_by_entity', type: 'jsonb', nullable: true })
  rowsByEntity: Record<string, number> | null;

  @Column({ name: 'total_rows', type: 'bigint', nullable: true })
  totalRows: string | null;

  @Column({ name: 'storage_bytes', type: 'bigint', nullable: true })
  storageBytes: string | null;

  /** What `storageBytes` counts for this tenant's placement. */
  @Column({ name: 'storage_note', type: 'text', nullable: true })
  storageNote: string | null;

  @Column({ name: 'measured_at', type: 'timestamptz', precision: 3, nullable: true })
  measuredAt: Date | null;
}
