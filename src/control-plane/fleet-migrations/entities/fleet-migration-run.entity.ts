import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FleetMigrationRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

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
}
