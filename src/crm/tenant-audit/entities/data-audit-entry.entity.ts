import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

export type DataAuditAction = 'create' | 'update' | 'delete';

/** One change to tenant data, kept in the tenant's own database (migrations/tenant DataAudit). */
@Entity({ name: 'data_audit' })
export class DataAuditEntry extends TenantOwnedRow {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 64 })
  entity: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  @Column({ type: 'varchar', length: 16 })
  action: DataAuditAction;

  @Column({ type: 'jsonb' })
  changes: Record<string, unknown>;
}
