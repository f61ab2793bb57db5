import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where tenant data lives: pooled databases (many tenants, RLS) and each dedicated tenant's database and role. */
export class TenantPlacements1763880000000 implements MigrationInterface {
  name = 'TenantPlacements1763880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_pools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(40) NOT NULL,
        database_server_id uuid NOT NULL REFERENCES database_servers (id),
        database_name varchar(63) NOT NULL,
        app_role varchar(63) NOT NULL,
        app_password_encrypted text NOT NULL,
        max_tenants integer NOT NULL CHECK (max_tenants > 0),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draining')),
        schema_version varchar(64),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT tenant_pools_name_key UNIQUE (name)
      )`);
    // Where the data lives is now explicit: a pool, or a database (and role) on a server.
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN data_source_ref`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN tenant_pool_id uuid REFERENCES tenant_pools (id)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN database_name varchar(63)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN database_role varchar(63)`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN database_password_encrypted text`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version TYPE varchar(64) USING NULL`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version DROP DEFAULT`);
    await queryRunner.query(`CREATE INDEX tenants_pool_idx ON tenants (tenant_pool_id)`);
    await queryRunner.query(`CREATE INDEX tenants_server_idx ON tenants (database_server_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tenants_server_idx`);
    await queryRunner.query(`DROP INDEX tenants_pool_idx`);
    await queryRunner.query(`UPDATE tenants SET schema_version = NULL`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version TYPE integer USING 0`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version SET DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN schema_version SET NOT NULL`);
    for (const column of ['database_password_encrypted', 'database_role', 'database_name', 'tenant_pool_id']) {
      await queryRunner.query(`ALTER TABLE tenants DROP COLUMN ${column}`);
    }
    await queryRunner.query(`DROP TABLE tenant_pools`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN data_source_ref varchar(200)`);
  }
}
