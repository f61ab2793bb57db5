import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * Deals (with line items and a history of stage changes) and activities attached to accounts,
 * contacts or deals. Money is an integer of minor units plus an ISO currency code.
 */
export class DealsAndActivities1763960000001 implements MigrationInterface {
  name = 'DealsAndActivities1763960000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deals (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        stage varchar(16) NOT NULL CHECK (stage IN ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
        amount_minor bigint NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        expected_close_date date,
        owner_user_id uuid,
        account_id uuid,
        contact_id uuid,
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX deals_created_idx ON deals (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX deals_stage_idx ON deals (tenant_id, stage) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX deals_account_idx ON deals (tenant_id, account_id)`);
    await queryRunner.query(`
      CREATE TABLE deal_line_items (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        deal_id uuid NOT NULL,
        position integer NOT NULL,
        description varchar(500) NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        PRIMARY KEY (tenant_id, deal_id, position),
        FOREIGN KEY (tenant_id, deal_id) REFERENCES deals (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE deal_stage_changes (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        deal_id uuid NOT NULL,
        from_stage varchar(16),
        to_stage varchar(16) NOT NULL,
        changed_by uuid,
        changed_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, deal_id) REFERENCES deals (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX deal_stage_changes_deal_idx ON deal_stage_changes (tenant_id, deal_id, changed_at)`);
    await queryRunner.query(`
      CREATE TABLE activities (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        type varchar(16) NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'task', 'note')),
        subject varchar(200) NOT NULL,
        body text NOT NULL DEFAULT '',
        related_type varchar(16) NOT NULL CHECK (related_type IN ('account', 'contact', 'deal')),
        related_id uuid NOT NULL,
        due_at timestamptz(3),
        completed_at timestamptz(3),
        owner_user_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX activities_created_idx ON activities (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await queryRunner.query(
      `CREATE INDEX activities_related_idx ON activities (tenant_id, related_type, related_id) WHERE deleted_at IS NULL`,
    );
    await isolateTenants(queryRunner, ['deals', 'deal_line_items', 'deal_stage_changes', 'activities']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['activities', 'deal_stage_changes', 'deal_line_items', 'deals']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
