import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's TOTP second factor and its recovery codes. The secret is a SecretCipher envelope bound
 * to the user; `enabled_at` is null while enrolment awaits its first code; `last_used_step` is
 * the newest time step a code was accepted for, so a code is never accepted twice. Recovery
 * codes are stored as SHA-256 hashes only.
 */
export class UserTotp1763980000000 implements MigrationInterface {
  name = 'UserTotp1763980000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_totp (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        enabled_at timestamptz(3),
        last_used_step bigint,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE user_recovery_codes (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        used_at timestamptz(3),
        PRIMARY KEY (user_id, code_hash)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE user_recovery_codes`);
    await queryRunner.query(`DROP TABLE user_totp`);
  }
}
