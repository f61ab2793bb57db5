import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage metering, one row per tenant per UTC day. Request counts are added by every app process's
 * flushes (upserts that add, so processes never overwrite each other); rows per entity and storage
 * are written by the day's measurement job, and stay null until it has run. The users seen on a
 * day are kept apart so `active_users` counts each of them once, whichever process served them.
 */
export class TenantUsage1764093000000 implements MigrationInterface {
  name = 'TenantUsage1764093000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_usage_days (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        day date NOT NULL,
        api_calls bigint NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
        writes bigint NOT NULL DEFAULT 0 CHECK (writes >= 0),
        active_users integer NOT NULL DEFAULT 0 CHECK (active_users >= 0),
        rows_by_entity jsonb,
        total_rows bigint CHECK (total_rows >= 0),
        storage_bytes bigint CHECK (storage_bytes >= 0),
        storage_note text,
        measured_at timestamptz(3),
        PRIMARY KEY (tenant_id, day)
      )`);
    await queryRunner.query(`CREATE INDEX tenant_usage_days_day ON tenant_usage_days (day)`);
    await queryRunner.query(`
      CREATE TABLE tenant_usage_users (
        tenant_id uuid NOT NULL,
        day date NOT NULL,
        user_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, day, user_id),
        FOREIGN KEY (tenant_id, day) REFERENCES tenant_usage_days (tenant_id, day) ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_usage_users`);
    await queryRunner.query(`DROP TABLE tenant_usage_days`);
  }
}
