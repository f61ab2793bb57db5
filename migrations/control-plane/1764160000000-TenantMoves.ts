import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves of a tenant's data between placements and servers (tenant_moves), and the write freeze a
 * move holds while it copies the last changes and switches (tenants.writes_frozen_at). The freeze
 * is a column of `tenants`, so the change-feed trigger announces it to every process.
 */
export class TenantMoves1764160000000 implements MigrationInterface {
  name = 'TenantMoves1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN writes_frozen_at timestamptz(3)`);
    await queryRunner.query(`
      CREATE TABLE tenant_moves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        status varchar(16) NOT NULL CHECK (status IN ('running', 'failed', 'abandoning', 'abandoned', 'completed')),
        attempt integer NOT NULL DEFAULT 0,
        run_started_after_attempt integer NOT NULL DEFAULT 0,
        source jsonb NOT NULL,
        target jsonb NOT NULL,
        target_password_encrypted text,
        copy_method varchar(24) CHECK (copy_method IN ('logical_replication', 'copy_under_freeze')),
        steps jsonb NOT NULL DEFAULT '[]',
        tables jsonb,
        failure_reason varchar(500),
        freeze_ms integer,
        retain_source_until timestamptz(3),
        source_removed_at timestamptz(3),
        requested_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    // One unfinished move per tenant: a second would copy from a placement the first is about to leave.
    await queryRunner.query(
      `CREATE UNIQUE INDEX tenant_moves_one_unfinished ON tenant_moves (tenant_id) WHERE status IN ('running', 'failed', 'abandoning')`,
    );
    await queryRunner.query(`CREATE INDEX tenant_moves_by_tenant ON tenant_moves (tenant_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_moves`);
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN writes_frozen_at`);
  }
}
