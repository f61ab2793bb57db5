import { MigrationInterface, QueryRunner } from 'typeorm';

/** Alerts to platform admins: one open alert per kind and subject, counted while it recurs, until it is resolved. */
export class PlatformAlerts1764090000000 implements MigrationInterface {
  name = 'PlatformAlerts1764090000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform_alerts (
        id bigserial PRIMARY KEY,
        kind varchar(48) NOT NULL,
        subject varchar(128) NOT NULL,
        message varchar(1000) NOT NULL,
        occurrences integer NOT NULL DEFAULT 1,
        first_raised_at timestamptz(3) NOT NULL DEFAULT now(),
        last_raised_at timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at timestamptz(3)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX platform_alerts_one_open ON platform_alerts (kind, subject) WHERE resolved_at IS NULL`);
    await queryRunner.query(`CREATE INDEX platform_alerts_newest ON platform_alerts (last_raised_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE platform_alerts`);
  }
}
