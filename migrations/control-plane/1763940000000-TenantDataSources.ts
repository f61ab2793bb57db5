import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `byod` tenant's own data source: the encrypted connection settings, what the last test
 * found there, and the field mappings validated against it. The placement itself was allowed
 * from the start; this is where such a tenant's data is described.
 */
export class TenantDataSources1763940000000 implements MigrationInterface {
  name = 'TenantDataSources1763940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_data_sources (
        tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
        kind varchar(16) NOT NULL CHECK (kind IN ('postgres', 'mysql', 'rest')),
        settings_encrypted text NOT NULL,
        read_only boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL DEFAULT 'configured' CHECK (status IN ('configured', 'tested', 'active')),
        introspection jsonb,
        mappings jsonb,
        tested_at timestamptz(3),
        activated_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_data_sources`);
  }
}
