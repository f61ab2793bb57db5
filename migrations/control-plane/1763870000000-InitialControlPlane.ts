import { MigrationInterface, QueryRunner } from 'typeorm';
// Keyset pagination round-trips created_at through JavaScript Dates, so timestamps keep millisecond precision.

export class InitialControlPlane1763870000000 implements MigrationInterface {
  name = 'InitialControlPlane1763870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await queryRunner.query(`
      CREATE TABLE database_servers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(63) NOT NULL,
        host varchar(253) NOT NULL,
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        admin_user varchar(63) NOT NULL,
        admin_password_encrypted text NOT NULL,
        max_databases integer NOT NULL CHECK (max_databases > 0),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draining', 'disabled')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT database_servers_name_key UNIQUE (name)
      )`);

    await queryRunner.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(63) NOT NULL,
        name varchar(200) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('provisioning', 'active', 'suspended', 'failed', 'deleted')),
        plan varchar(32) NOT NULL,
        placement varchar(16) NOT NULL CHECK (placement IN ('pooled', 'dedicated', 'byod')),
        enabled_modules text[] NOT NULL DEFAULT '{}',
        database_server_id uuid REFERENCES database_servers (id),
        data_source_ref varchar(200),
        schema_version integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT tenants_slug_key UNIQUE (slug)
      )`);
    await queryRunner.query(`CREATE INDEX tenants_created_idx ON tenants (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL CHECK (email = lower(email)),
        name varchar(200) NOT NULL DEFAULT '',
        password_hash text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        platform_role varchar(16) CHECK (platform_role IN ('platform_admin', 'super_admin')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT users_email_key UNIQUE (email)
      )`);
    await queryRunner.query(`CREATE INDEX users_created_idx ON users (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE super_admin_tenants (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, tenant_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE tenant_memberships (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role varchar(64) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX tenant_memberships_user_idx ON tenant_memberships (user_id)`);

    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);

    await queryRunner.query(`
      CREATE TABLE login_throttle (
        key varchar(300) PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_user_id uuid,
        action varchar(64) NOT NULL,
        target_type varchar(32) NOT NULL,
        target_id varchar(128),
        tenant_id uuid,
        changes jsonb,
        request_id varchar(128),
        client_ip varchar(64)
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id)`);
    await queryRunner.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id)`);
    await queryRunner.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'login_throttle',
      'refresh_tokens',
      'tenant_memberships',
      'super_admin_tenants',
      'users',
      'tenants',
      'database_servers',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
