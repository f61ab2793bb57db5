import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A database server may sit behind a transaction-mode pooler (PgBouncer, as seed 002 deploys it):
 * its tenant DataSources then connect to the pooler's address and keep no state between
 * transactions. Admin work (databases, roles, migrations, advisory locks) keeps connecting to the
 * server itself at host:port.
 */
export class TransactionPoolers1764110000000 implements MigrationInterface {
  name = 'TransactionPoolers1764110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE database_servers
        ADD COLUMN behind_transaction_pooler boolean NOT NULL DEFAULT false,
        ADD COLUMN pooler_host varchar(253),
        ADD COLUMN pooler_port integer CHECK (pooler_port BETWEEN 1 AND 65535),
        ADD CONSTRAINT database_servers_pooler_host_needs_port CHECK (pooler_host IS NULL OR pooler_port IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE database_servers
        DROP CONSTRAINT database_servers_pooler_host_needs_port,
        DROP COLUMN pooler_port,
        DROP COLUMN pooler_host,
        DROP COLUMN behind_transaction_pooler`);
  }
}
