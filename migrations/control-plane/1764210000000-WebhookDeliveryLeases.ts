import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries become their own queue (no pg-boss job per attempt): a worker claims due pending
 * deliveries in batches and leases each until `lease_expires_at`, moving `next_attempt_at` to the
 * same moment, so the delivery of a process that died mid-attempt is due again when its lease ends.
 * The lease is cleared when the attempt is recorded. Due deliveries are found by `next_attempt_at`
 * among pending ones; the leased ones by endpoint, to cap each endpoint's attempts in flight.
 */
export class WebhookDeliveryLeases1764210000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_deliveries ADD COLUMN lease_expires_at timestamptz(3)`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (endpoint_id) WHERE lease_expires_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX webhook_deliveries_leased`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_due`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries DROP COLUMN lease_expires_at`);
  }
}
