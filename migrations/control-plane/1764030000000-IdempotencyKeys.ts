import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key claims and the answers they replay (src/common/idempotency). One row per caller
 * scope and key: `in_progress` while the first request runs, then `completed` with its answer.
 * `lease_expires_at` is set only where the handler completes the key in its own transaction, so a
 * claim whose process died can be taken over safely; elsewhere a stale claim stays (409) until it expires.
 */
export class IdempotencyKeys1764030000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764030000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        scope varchar(200) NOT NULL,
        key varchar(255) NOT NULL,
        fingerprint bytea NOT NULL,
        claim_token uuid NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('in_progress', 'completed')),
        lease_expires_at timestamptz(3),
        response_status smallint,
        response_headers jsonb,
        response_body text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        PRIMARY KEY (scope, key),
        CHECK ((state = 'completed') = (response_status IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
