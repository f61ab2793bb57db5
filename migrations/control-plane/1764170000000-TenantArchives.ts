import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant archives (exports on request and scheduled backups), restores of them, and what a plan
 * allows of them:
 * - `backup_schedule`: `daily` backs the plan's tenants up once a day, keeping `backups_kept`;
 * - `tenant_export_allowed`: the tenant's own admins may export and download their data;
 * - `retention_days`: the tenant's data audit and soft-deleted records older than this are purged
 *   (NULL: kept).
 * Archive and restore rows carry an attempt token: their jobs fence every write with it
 * (libs/queue/fenced-attempt.ts).
 */
export class TenantArchives1764170000000 implements MigrationInterface {
  name = 'TenantArchives1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE plans
        ADD COLUMN backup_schedule varchar(16) NOT NULL DEFAULT 'none' CHECK (backup_schedule IN ('none', 'daily')),
        ADD COLUMN backups_kept integer NOT NULL DEFAULT 7 CHECK (backups_kept BETWEEN 1 AND 365),
        ADD COLUMN tenant_export_allowed boolean NOT NULL DEFAULT false,
        ADD COLUMN retention_days integer CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 36500)`);
    await queryRunner.query(`
      CREATE TABLE tenant_archives (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('export', 'backup')),
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
        attempt_token integer NOT NULL DEFAULT 0,
        requested_by uuid,
        file_name varchar(200),
        size_bytes bigint,
        sha256 char(64),
        schema_version varchar(64),
        tables jsonb,
        failure_reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3)
      )`);
    await queryRunner.query('CREATE INDEX tenant_archives_tenant_idx ON tenant_archives (tenant_id, kind, created_at DESC, id)');
    await queryRunner.query(`
      CREATE TABLE tenant_restores (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        archive_id uuid NOT NULL REFERENCES tenant_archives (id) ON DELETE CASCADE,
        target_tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        mode varchar(8) NOT NULL CHECK (mode IN ('new', 'same')),
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
        attempt_token integer NOT NULL DEFAULT 0,
        requested_by uuid,
        restored_rows jsonb,
        failure_reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tenant_restores');
    await queryRunner.query('DROP TABLE tenant_archives');
    await queryRunner.query(
      'ALTER TABLE plans DROP COLUMN retention_days, DROP COLUMN tenant_export_allowed, DROP COLUMN backups_kept, DROP COLUMN backup_schedule',
    );
  }
}
