import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * The tenant schema serves pooled and dedicated databases alike: every table carries
 * tenant_id, every key includes it, and row-level security (forced, so even the owner is
 * subject to it) only shows rows of the tenant bound with set_config('app.tenant_id', …, true).
 */
export class Notes1763880000001 implements MigrationInterface {
  name = 'Notes1763880000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE TABLE notes (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        title varchar(200) NOT NULL,
        body text NOT NULL DEFAULT '',
        parent_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, parent_id) REFERENCES notes (tenant_id, id) ON DELETE SET NULL (parent_id)
      )`);
    await queryRunner.query(`CREATE INDEX notes_created_idx ON notes (tenant_id, created_at, id)`);
    await isolateTenants(queryRunner, ['notes']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notes`);
    await queryRunner.query(`DROP FUNCTION current_tenant_id()`);
  }
}
