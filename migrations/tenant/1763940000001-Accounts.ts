import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * Accounts (companies) and the custom fields a tenant admin defines per kind of record. Same rules
 * as every tenant table: tenant_id in every key, forced row-level security.
 */
export class Accounts1763940000001 implements MigrationInterface {
  name = 'Accounts1763940000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE custom_field_definitions (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        entity varchar(32) NOT NULL,
        key varchar(64) NOT NULL,
        label varchar(200) NOT NULL,
        type varchar(16) NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'date', 'select')),
        required boolean NOT NULL DEFAULT false,
        options text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, entity, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE accounts (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        domain varchar(253),
        industry varchar(100),
        owner_user_id uuid,
        street varchar(200),
        city varchar(100),
        postal_code varchar(20),
        country char(2),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX accounts_created_idx ON accounts (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX accounts_name_idx ON accounts (tenant_id, name, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX accounts_industry_idx ON accounts (tenant_id, industry) WHERE deleted_at IS NULL`);
    await isolateTenants(queryRunner, ['custom_field_definitions', 'accounts']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE accounts`);
    await queryRunner.query(`DROP TABLE custom_field_definitions`);
  }
}
