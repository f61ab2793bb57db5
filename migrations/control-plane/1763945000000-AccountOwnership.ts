import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account belongs to whoever holds its e-mail: people join tenants through invitations they
 * accept, and prove their mailbox through one-time tokens (password reset, registration). The
 * links reach them through a mail outbox written in the same transaction as the change.
 * Every token is stored as a SHA-256 hash; a mail's body (it carries a link) is stored encrypted
 * and erased once sent.
 */
export class AccountOwnership1763945000000 implements MigrationInterface {
  name = 'AccountOwnership1763945000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
        email varchar(254) NOT NULL CHECK (email = lower(email)),
        role varchar(64),
        platform_role varchar(16) CHECK (platform_role IN ('platform_admin')),
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz(3) NOT NULL,
        accepted_at timestamptz(3),
        accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((tenant_id IS NULL) = (role IS NULL))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX invitations_one_pending ON invitations (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), email)
        WHERE accepted_at IS NULL AND revoked_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purpose varchar(32) NOT NULL CHECK (purpose IN ('password_reset', 'registration')),
        email varchar(254) NOT NULL CHECK (email = lower(email)),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        payload jsonb,
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(32) NOT NULL,
        recipient varchar(254) NOT NULL,
        subject varchar(300) NOT NULL,
        body_encrypted text,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mail_outbox`);
    await queryRunner.query(`DROP TABLE account_tokens`);
    await queryRunner.query(`DROP TABLE invitations`);
  }
}
