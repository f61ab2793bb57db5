import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fencing token of tenant provisioning: incremented when an attempt starts, so each attempt
 * knows whether it still owns the tenant; every step of an attempt commits only while it does.
 * Starts at the last attempt recorded so far, so attempt numbers keep counting up.
 */
export class ProvisioningAttemptFence1763990000000 implements MigrationInterface {
  name = 'ProvisioningAttemptFence1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN provisioning_attempt integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      UPDATE tenants SET provisioning_attempt = last.attempt
        FROM (SELECT tenant_id, max(attempt) AS attempt FROM tenant_provisioning_steps GROUP BY tenant_id) last
       WHERE last.tenant_id = tenants.id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN provisioning_attempt`);
  }
}
