import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Honest fleet runs: a heartbeat so a run whose runner died can be told from a live one (and
 * marked `interrupted`), `incomplete` for runs that skipped databases, which run resumed an
 * interrupted one, and a ledger of the scratch databases a run creates, written before each is
 * created, so the next run can prove a leftover is ours before dropping it.
 */
export class FleetRunLiveness1764010000000 implements MigrationInterface {
  name = 'FleetRunLiveness1764010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE fleet_migration_runs DROP CONSTRAINT fleet_migration_runs_status_check`);
    await queryRunner.query(`
      ALTER TABLE fleet_migration_runs
        ADD CONSTRAINT fleet_migration_runs_status_check
          CHECK (status IN ('queued', 'running', 'succeeded', 'incomplete', 'failed', 'interrupted')),
        ADD COLUMN heartbeat_at timestamptz(3),
        ADD COLUMN resumed_by uuid REFERENCES fleet_migration_runs (id) ON DELETE SET NULL,
        ADD COLUMN error varchar(1000)`);
    await queryRunner.query(
      `CREATE INDEX fleet_migration_runs_running_idx ON fleet_migration_runs (heartbeat_at) WHERE status = 'running'`,
    );
    await queryRunner.query(`
      CREATE TABLE fleet_migration_scratch_databases (
        database_server_id uuid NOT NULL REFERENCES database_servers (id) ON DELETE CASCADE,
        database_name varchar(63) NOT NULL,
        run_id uuid NOT NULL REFERENCES fleet_migration_runs (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (database_server_id, database_name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fleet_migration_scratch_databases`);
    await queryRunner.query(`DROP INDEX fleet_migration_runs_running_idx`);
    await queryRunner.query(`UPDATE fleet_migration_runs SET status = 'failed' WHERE status IN ('incomplete', 'interrupted')`);
    await queryRunner.query(`
      ALTER TABLE fleet_migration_runs
        DROP COLUMN heartbeat_at, DROP COLUMN resumed_by, DROP COLUMN error,
        DROP CONSTRAINT fleet_migration_runs_status_check,
        ADD CONSTRAINT fleet_migration_runs_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))`);
  }
}
