import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background sync of byod tenants' systems: per-source settings and schedule, the history of runs
 * (at most one unfinished per source), and what the last runs saw (row fingerprints and the
 * `updated_at` watermark) for the data-source revision they were taken at.
 */
export class SourceSync1764140000000 implements MigrationInterface {
  name = 'SourceSync1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source_syncs (
        tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        auto_sync boolean NOT NULL DEFAULT false,
        frequency_minutes integer CHECK (frequency_minutes BETWEEN 5 AND 1440),
        next_run_at timestamptz(3),
        baseline_revision integer,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (NOT auto_sync OR frequency_minutes IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX source_syncs_due ON source_syncs (next_run_at) WHERE auto_sync`);
    await queryRunner.query(`
      CREATE TABLE source_sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        trigger varchar(16) NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        status varchar(16) NOT NULL CHECK (status IN ('queued', 'running', 'retrying', 'succeeded', 'failed')),
        attempt_token integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        source_revision integer,
        baseline boolean NOT NULL DEFAULT false,
        rows_seen integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        deleted integer NOT NULL DEFAULT 0,
        error text,
        queued_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        finished_at timestamptz(3)
      )`);
    // One unfinished run per source: a second "sync now" (or the schedule) finds the first instead of starting another.
    await queryRunner.query(
      `CREATE UNIQUE INDEX source_sync_runs_one_unfinished ON source_sync_runs (tenant_id) WHERE status IN ('queued', 'running', 'retrying')`,
    );
    await queryRunner.query(`CREATE INDEX source_sync_runs_history ON source_sync_runs (tenant_id, queued_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX source_sync_runs_finished ON source_sync_runs (finished_at) WHERE finished_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE source_sync_rows (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        entity varchar(64) NOT NULL,
        source_key text NOT NULL,
        fingerprint char(64) NOT NULL,
        field_hashes jsonb NOT NULL,
        seen_in_run uuid NOT NULL,
        PRIMARY KEY (tenant_id, entity, source_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE source_sync_watermarks (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        entity varchar(64) NOT NULL,
        watermark text NOT NULL,
        PRIMARY KEY (tenant_id, entity)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE source_sync_watermarks`);
    await queryRunner.query(`DROP TABLE source_sync_rows`);
    await queryRunner.query(`DROP TABLE source_sync_runs`);
    await queryRunner.query(`DROP TABLE source_syncs`);
  }
}
