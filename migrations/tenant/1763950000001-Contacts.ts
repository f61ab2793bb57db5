import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/** Contacts (people) and their many-to-many links to accounts, each link with the person's role there. */
export class Contacts1763950000001 implements MigrationInterface {
  name = 'Contacts1763950000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contacts (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        first_name varchar(100) NOT NULL,
        last_name varchar(100) NOT NULL,
        email varchar(254),
        phone varchar(40),
        job_title varchar(100),
        owner_user_id uuid,
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX contacts_created_idx ON contacts (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX contacts_name_idx ON contacts (tenant_id, last_name, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX contacts_email_idx ON contacts (tenant_id, email) WHERE deleted_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE contact_accounts (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        contact_id uuid NOT NULL,
        account_id uuid NOT NULL,
        role varchar(100) NOT NULL DEFAULT '',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, contact_id, account_id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX contact_accounts_account_idx ON contact_accounts (tenant_id, account_id)`);
    await isolateTenants(queryRunner, ['contacts', 'contact_accounts']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE contact_accounts`);
    await queryRunner.query(`DROP TABLE contacts`);
  }
}
