import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PROVISIONING_STEP_STATUSES = ['running', 'succeeded', 'skipped', 'failed'] as const;
export type ProvisioningStepStatus = (typeof PROVISIONING_STEP_STATUSES)[number];

/** One step of one provisioning attempt of a tenant, with its timing. */
@Entity({ name: 'tenant_provisioning_steps' })
export class ProvisioningStep {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @PrimaryColumn({ type: 'integer' })
  attempt: number;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  step: string;

  @Column({ type: 'varchar', length: 16 })
  status: ProvisioningStepStatus;

  /** What the step did, or why it failed (never a secret). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  detail: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;
}
