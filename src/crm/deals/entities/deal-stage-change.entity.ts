import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

/** A deal entering a stage: who moved it, and when. */
@Entity({ name: 'deal_stage_changes' })
export class DealStageChange extends TenantOwnedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'deal_id', type: 'uuid' })
  dealId: string;

  @Column({ name: 'from_stage', type: 'varchar', length: 16, nullable: true })
  fromStage: string | null;

  @Column({ name: 'to_stage', type: 'varchar', length: 16 })
  toStage: string;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedBy: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  changedAt: Date;
}
