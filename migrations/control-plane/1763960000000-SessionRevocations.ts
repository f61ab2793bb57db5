import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revoked sessions: "access tokens of this scope issued before this instant are refused". A row
 * names a session (a refresh-token family), a user, a user in a tenant, or a tenant. Every API
 * process keeps the live rows in memory; the trigger announces each new row with NOTIFY, which
 * PostgreSQL delivers when (and only if) the inserting transaction commits.
 */
export class SessionRevocations1763960000000 implements MigrationInterface {
  name = 'SessionRevocations1763960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE session_revocations (
        id bigserial PRIMARY KEY,
        session_id uuid,
        user_id uuid,
        tenant_id uuid,
        revoked_before timestamptz(3) NOT NULL,
        CHECK (session_id IS NOT NULL OR user_id IS NOT NULL OR tenant_id IS NOT NULL),
        CHECK (session_id IS NULL OR (user_id IS NULL AND tenant_id IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX session_revocations_revoked_before ON session_revocations (revoked_before)`);
    await queryRunner.query(`
      CREATE FUNCTION notify_session_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_revocations', json_build_object(
          'sessionId', NEW.session_id, 'userId', NEW.user_id, 'tenantId', NEW.tenant_id,
          'revokedBefore', (extract(epoch FROM NEW.revoked_before) * 1000)::bigint
        )::text);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER session_revocations_notify AFTER INSERT ON session_revocations
        FOR EACH ROW EXECUTE FUNCTION notify_session_revocation()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE session_revocations`);
    await queryRunner.query(`DROP FUNCTION notify_session_revocation()`);
  }
}
