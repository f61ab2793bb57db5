import { Column, Entity } from 'typeorm';
import { SoftDeletableRecord } from '../../../../libs/tenancy/records/tenant-owned.entity';
import { minorUnits } from '../../../platform/column-values/minor-units';

export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

/** An opportunity moving through the pipeline. Deleting one is soft. */
@Entity({ name: 'deals' })
export class Deal extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  stage: DealStage;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'expected_close_date', type: 'date', nullable: true })
  expectedCloseDate: string | null;

  @Column({ name: 'owner_user_id', type: 'uuid', nullable: true })
  ownerUserId: string | null;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId: string | null;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb' })
  customFields: Record<string, unknown>;
}
