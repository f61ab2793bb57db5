import { MigrationInterface, QueryRunner } from 'typeorm';

/** The control plane's log of domain events, relayed from the tenants' outboxes and raised by the platform. */
export class DomainEvents1764095000000 implements MigrationInterface {
  name = 'DomainEvents1764095000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE domain_events (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        tenant_id uuid,
        type varchar(64) NOT NULL,
        version integer NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        data jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX domain_events_by_tenant ON domain_events (tenant_id, seq)`);
    await queryRunner.query(`CREATE INDEX domain_events_by_time ON domain_events (recorded_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE domain_events`);
  }
}
