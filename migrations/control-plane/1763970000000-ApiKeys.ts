import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys (service accounts) of tenants and of the platform: only a hash of each secret, found
 * by its public id. The audit log learns which key acted, beside the user who created it.
 */
export class ApiKeys1763970000000 implements MigrationInterface {
  name = 'ApiKeys1763970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        public_id varchar(16) NOT NULL UNIQUE,
        scope varchar(16) NOT NULL CHECK (scope IN ('tenant', 'platform')),
        tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        secret_hash bytea NOT NULL,
        last_chars varchar(8) NOT NULL,
        permissions text[] NOT NULL DEFAULT '{}',
        created_by_user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3),
        last_used_at timestamptz(3),
        revoked_at timestamptz(3),
        revoked_by_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        CHECK ((scope = 'tenant') = (tenant_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at)`);
    await queryRunner.query(`ALTER TABLE audit_log ADD COLUMN actor_api_key_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_log DROP COLUMN actor_api_key_id`);
    await queryRunner.query(`DROP TABLE api_keys`);
  }
}
