import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * Quotes and invoices with their lines and payments. Numbers come from a per-tenant counter row
 * updated in the creating transaction, so they have no gaps (a rolled-back creation rolls the
 * counter back) and no duplicates (the row lock orders concurrent creations; the unique index
 * backs it). Amounts are integers of minor units; quantities have three decimals, tax rates two.
 */
export class Invoices1763990000003 implements MigrationInterface {
  name = 'Invoices1763990000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE document_counters (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        kind varchar(16) NOT NULL CHECK (kind IN ('invoice', 'quote')),
        last_number integer NOT NULL CHECK (last_number >= 0),
        PRIMARY KEY (tenant_id, kind)
      )`);
    await queryRunner.query(`
      CREATE TABLE invoices (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('invoice', 'quote')),
        number integer NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'void', 'accepted', 'declined', 'converted')),
        account_id uuid,
        currency char(3) NOT NULL,
        issue_date date NOT NULL,
        due_date date,
        notes text NOT NULL DEFAULT '',
        subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
        tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0 AND paid_minor <= total_minor),
        quote_id uuid,
        converted_invoice_id uuid,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX invoices_number_key ON invoices (tenant_id, kind, number)`);
    await queryRunner.query(`CREATE INDEX invoices_created_idx ON invoices (tenant_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX invoices_status_idx ON invoices (tenant_id, kind, status)`);
    await queryRunner.query(`
      CREATE TABLE invoice_lines (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        invoice_id uuid NOT NULL,
        position integer NOT NULL,
        item_id uuid,
        description varchar(500) NOT NULL,
        quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        tax_rate numeric(5, 2) NOT NULL CHECK (tax_rate >= 0 AND tax_rate <= 100),
        net_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        PRIMARY KEY (tenant_id, invoice_id, position),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE invoice_payments (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        paid_on date NOT NULL,
        method varchar(32) NOT NULL,
        reference varchar(100),
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX invoice_payments_invoice_idx ON invoice_payments (tenant_id, invoice_id, created_at)`);
    await isolateTenants(queryRunner, ['document_counters', 'invoices', 'invoice_lines', 'invoice_payments']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['invoice_payments', 'invoice_lines', 'invoices', 'document_counters'])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
