import { MigrationInterface, QueryRunner } from 'typeorm';

/** Custom roles a tenant admin defines, each a named set of permissions (seed 003). Built-in roles live in code. */
export class TenantRoles1763900000000 implements MigrationInterface {
  name = 'TenantRoles1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_roles (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        name varchar(64) NOT NULL CHECK (name NOT IN ('tenant_admin', 'member')),
        description varchar(500) NOT NULL DEFAULT '',
        permissions text[] NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_roles`);
  }
}
