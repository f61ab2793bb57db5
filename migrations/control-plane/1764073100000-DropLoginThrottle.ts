import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed logins and mailing requests are counted by rate-limiter-flexible now (Redis when
 * REDIS_URL is set, else in the process: LoginThrottleService), like the /api rate limits.
 * Nothing reads the old control-plane table any more; its counts were short-lived anyway.
 */
export class DropLoginThrottle1764073100000 implements MigrationInterface {
  name = 'DropLoginThrottle1764073100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE login_throttle');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_throttle (
        key varchar(300) PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);
  }
}
