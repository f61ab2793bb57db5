import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A byod tenant's staged data source: new settings tested and mapped beside the data source that
 * keeps serving, until a switch makes them the data source. A table of its own, so the serving
 * row is untouched while staging; it goes with its data source (a purge removes both).
 */
export class StagedDataSources1764065000000 implements MigrationInterface {
  name = 'StagedDataSources1764065000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_staged_data_sources (
        tenant_id uuid PRIMARY KEY REFERENCES tenant_data_sources (tenant_id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('postgres', 'mysql', 'rest')),
        settings_encrypted text NOT NULL,
        read_only boolean NOT NULL DEFAULT false,
        introspection jsonb,
        mappings jsonb,
        tested_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_staged_data_sources`);
  }
}
