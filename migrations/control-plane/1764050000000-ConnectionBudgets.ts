import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-server connection budgets, split across the Tenantry processes alive right now.
 * `database_servers.connection_budget`: how many connections all processes together may hold to
 * the server's tenant databases (null: no declared budget, each process has its whole
 * TENANT_CONNECTION_BUDGET). `app_processes`: one row per running process, kept alive by its
 * heartbeat; rows whose heartbeat is stale belong to dead processes and are ignored, then pruned.
 */
export class ConnectionBudgets1764050000000 implements MigrationInterface {
  name = 'ConnectionBudgets1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE database_servers ADD COLUMN connection_budget integer CHECK (connection_budget >= 1)`);
    await queryRunner.query(`
      CREATE TABLE app_processes (
        id uuid PRIMARY KEY,
        hostname varchar(255) NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        heartbeat_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX app_processes_heartbeat_idx ON app_processes (heartbeat_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE app_processes`);
    await queryRunner.query(`ALTER TABLE database_servers DROP COLUMN connection_budget`);
  }
}
