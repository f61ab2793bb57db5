import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans with their quotas and modules; tenant lifecycle (provisioning steps, failure reason,
 * soft delete with a purge date, purge); tenant settings seeded at provisioning.
 */
export class TenantLifecycle1763890000000 implements MigrationInterface {
  name = 'TenantLifecycle1763890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plans (
        name varchar(32) PRIMARY KEY,
        display_name varchar(100) NOT NULL,
        max_users integer CHECK (max_users > 0),
        max_contacts integer CHECK (max_contacts > 0),
        storage_mb integer CHECK (storage_mb > 0),
        modules text[] NOT NULL DEFAULT '{}',
        default_placement varchar(16) NOT NULL CHECK (default_placement IN ('pooled', 'dedicated')),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // Seed 004's plans; NULL is "unlimited".
    await queryRunner.query(`
      INSERT INTO plans (name, display_name, max_users, max_contacts, storage_mb, modules, default_placement) VALUES
        ('starter', 'Starter', 5, 1000, 1024, '{notes,contacts,accounts,activities}', 'pooled'),
        ('professional', 'Professional', 25, 10000, 10240, '{notes,contacts,accounts,activities,deals,events,inventory}', 'pooled'),
        ('enterprise', 'Enterprise', NULL, NULL, 102400, '{notes,contacts,accounts,activities,deals,events,inventory,invoices}', 'dedicated')`);
    await queryRunner.query(`ALTER TABLE tenants ADD CONSTRAINT tenants_plan_fkey FOREIGN KEY (plan) REFERENCES plans (name)`);

    await queryRunner.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_status_check`);
    await queryRunner.query(
      `ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('provisioning', 'active', 'suspended', 'failed', 'deleted', 'purged'))`,
    );
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN admin_user_id uuid REFERENCES users (id)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN failure_reason varchar(500)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN deleted_at timestamptz(3)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN purge_after timestamptz(3)`);

    await queryRunner.query(`
      CREATE TABLE tenant_provisioning_steps (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        step varchar(32) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('running', 'succeeded', 'skipped', 'failed')),
        detail varchar(500),
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3),
        duration_ms integer,
        PRIMARY KEY (tenant_id, attempt, step)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_provisioning_steps`);
    for (const column of ['purge_after', 'deleted_at', 'failure_reason', 'admin_user_id', 'settings']) {
      await queryRunner.query(`ALTER TABLE tenants DROP COLUMN ${column}`);
    }
    await queryRunner.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_status_check`);
    await queryRunner.query(
      `ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('provisioning', 'active', 'suspended', 'failed', 'deleted'))`,
    );
    await queryRunner.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_plan_fkey`);
    await queryRunner.query(`DROP TABLE plans`);
  }
}
