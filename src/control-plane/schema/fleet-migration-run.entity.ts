import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `succeeded`: every database is at the target version (dry run: was inspected). `incomplete`: none
 * failed but some were skipped (locked by another runner). `interrupted`: its runner stopped
 * sending heartbeats (killed or cut off); a later run resumes what it left.
 */
export type FleetMigrationRunStatus = 'queued' | 'running' | 'succeeded' | 'incomplete' | 'failed' | 'interrupted';

export interface FleetMigrationOptions {
  concurrency: number;
  canary?: number;
  tenant?: string;
  dryRun?: boolean;
}

/** One run of the fleet migration runner, from the CLI or the queue. */
@Entity({ name: 'fleet_migration_runs' })
export class FleetMigrationRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  status: FleetMigrationRunStatus;

  @Column({ name: 'target_version', type: 'varchar', length: 64 })
  targetVersion: string;

  @Column({ type: 'jsonb' })
  options: FleetMigrationOptions;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  /** Renewed every few seconds while the runner is alive. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', precision: 3, nullable: true })
  heartbeatAt: Date | null;

  /** The run that took over the databases this interrupted or incomplete run left. */
  @Column({ name: 'resumed_by', type: 'uuid', nullable: true })
  resumedBy: string | null;

  /** Why the run itself stopped (not a database's error: those are on its targets). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;
}
