import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * The tenant's outbox: domain events written in the transaction of the change they describe, so a
 * rolled-back change leaves none and a committed one always has its event. The relay moves them to
 * the control plane's domain_events and deletes them here; `seq` keeps their order per tenant.
 *
 * Besides the usual isolation, a second SELECT-only policy lets the relay's sweep find, in one
 * query per pooled database, which tenants have events left behind (by a process that died after
 * commit): it applies only in a transaction that set `app.outbox_sweep`, which nothing but the
 * sweep does, and the sweep then relays each tenant bound to it like any request. (Replaced by
 * OutboxPendingTenants1764220000001: any session could set it.)
 */
export class OutboxEvents1764120000001 implements MigrationInterface {
  name = 'OutboxEvents1764120000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_events (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        type varchar(64) NOT NULL,
        version integer NOT NULL,
        occurred_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        data jsonb NOT NULL,
        PRIMARY KEY (tenant_id, seq),
        UNIQUE (tenant_id, id)
      )`);
    await isolateTenants(queryRunner, ['outbox_events']);
    await queryRunner.query(`
      CREATE POLICY outbox_sweep ON outbox_events FOR SELECT
        USING (current_setting('app.outbox_sweep', true) = 'on')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_events`);
  }
}
