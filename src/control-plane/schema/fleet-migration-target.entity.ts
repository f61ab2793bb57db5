import { Column, Entity, PrimaryColumn } from 'typeorm';

export type FleetTargetKind = 'dedicated' | 'pool' | 'template';
export type FleetTargetStatus = 'pending' | 'migrated' | 'current' | 'failed' | 'skipped';

/** What one run did to one database: a dedicated tenant's, a pool's or a server's template. */
@Entity({ name: 'fleet_migration_targets' })
export class FleetMigrationTarget {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId: string;

  /** `tenant:<id>`, `pool:<id>` or `template:<server id>`. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  target: string;

  @Column({ type: 'varchar', length: 16 })
  kind: FleetTargetKind;

  /** The tenant slug, pool name or server name. */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 16 })
  status: FleetTargetStatus;

  /** Migrations applied (dry run: that would be). */
  @Column({ type: 'text', array: true })
  applied: string[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
