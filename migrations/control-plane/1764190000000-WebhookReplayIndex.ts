import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a delivery (an endpoint's deletion cascades to all of its, the log retention deletes
 * old ones) makes PostgreSQL clear `replay_of` wherever it names the deleted row: without an index
 * that is a scan of every delivery per deleted delivery. Only replays have one, so the index holds
 * only them.
 */
export class WebhookReplayIndex1764190000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX webhook_deliveries_replays ON webhook_deliveries (replay_of) WHERE replay_of IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX webhook_deliveries_replays`);
  }
}
