import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Since when an endpoint is disabled (by the platform after failing for days, or by hand), so the
 * console can say so: updated_at moves with any later change. Endpoints disabled before this
 * migration get their last change as the best moment known.
 */
export class WebhookDisabledAt1764200000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_endpoints ADD COLUMN disabled_at timestamptz(3)`);
    await queryRunner.query(`UPDATE webhook_endpoints SET disabled_at = updated_at WHERE NOT enabled`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_endpoints DROP COLUMN disabled_at`);
  }
}
