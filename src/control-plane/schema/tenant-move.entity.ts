import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const TENANT_MOVE_STATUSES = ['running', 'failed', 'abandoning', 'abandoned', 'completed'] as const;
export type TenantMoveStatus = (typeof TENANT_MOVE_STATUSES)[number];

/** Moves still holding (or about to hold) a target: at most one per tenant. */
export const UNFINISHED_MOVE_STATUSES: readonly TenantMoveStatus[] = ['running', 'failed', 'abandoning'];

export const COPY_METHODS = ['logical_replication', 'copy_under_freeze'] as const;
export type CopyMethod = (typeof COPY_METHODS)[number];

/** One end of a move: where the tenant's rows are (source) or are going (target). */
export interface MoveEnd {
  placement: 'pooled' | 'dedicated';
  databaseServerId: string;
  databaseName: string;
  /** Pooled: the pool whose database it is. */
  tenantPoolId: string | null;
  /** Dedicated: the tenant's application role in its database. */
  databaseRole: string | null;
}

export interface TenantMoveStep {
  step: string;
  attempt: number;
  status: 'running' | 'succeeded' | 'skipped' | 'failed';
  detail: string | null;
  startedAt: string;
  durationMs: number | null;
}

/** Row counts and checksums of one table on both ends, as the verify step found them. */
export interface VerifiedTable {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
}

@Entity({ name: 'tenant_moves' })
export class TenantMove {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  status: TenantMoveStatus;

  /** The fence token: the attempt of the move's job that may write (FencedAttempt). */
  @Column({ type: 'integer', default: 0 })
  attempt: number;

  /** A retry starts a new run after this attempt: steps finished by earlier attempts are done again. */
  @Column({ name: 'run_started_after_attempt', type: 'integer', default: 0 })
  runStartedAfterAttempt: number;

  @Column({ type: 'jsonb' })
  source: MoveEnd;

  @Column({ type: 'jsonb' })
  target: MoveEnd;

  @Column({ name: 'target_password_encrypted', type: 'text', nullable: true, select: false })
  targetPasswordEncrypted: string | null;

  @Column({ name: 'copy_method', type: 'varchar', length: 24, nullable: true })
  copyMethod: CopyMethod | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  steps: TenantMoveStep[];

  @Column({ type: 'jsonb', nullable: true })
  tables: VerifiedTable[] | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  /** How long the tenant's writes were frozen (the last freeze, when retried). */
  @Column({ name: 'freeze_ms', type: 'integer', nullable: true })
  freezeMs: number | null;

  @Column({ name: 'retain_source_until', type: 'timestamptz', precision: 3, nullable: true })
  retainSourceUntil: Date | null;

  @Column({ name: 'source_removed_at', type: 'timestamptz', precision: 3, nullable: true })
  sourceRemovedAt: Date | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
