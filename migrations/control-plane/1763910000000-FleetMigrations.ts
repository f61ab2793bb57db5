import { MigrationInterface, QueryRunner } from 'typeorm';

/** Fleet migration runs (CLI or queue job) and what happened to each database in them. */
export class FleetMigrations1763910000000 implements MigrationInterface {
  name = 'FleetMigrations1763910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fleet_migration_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status varchar(16) NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        target_version varchar(64) NOT NULL,
        options jsonb NOT NULL,
        requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        finished_at timestamptz(3)
      )`);
    await queryRunner.query(`
      CREATE TABLE fleet_migration_targets (
        run_id uuid NOT NULL REFERENCES fleet_migration_runs (id) ON DELETE CASCADE,
        target varchar(100) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('dedicated', 'pool', 'template')),
        label varchar(200) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'migrated', 'current', 'failed', 'skipped')),
        applied text[] NOT NULL DEFAULT '{}',
        error varchar(1000),
        duration_ms integer,
        finished_at timestamptz(3),
        PRIMARY KEY (run_id, target)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fleet_migration_targets`);
    await queryRunner.query(`DROP TABLE fleet_migration_runs`);
  }
}
