import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells the planner that a row's other ids name rows of one tenant: an owner, an account or a
 * parent belongs to one tenant, so filtering on it and on the tenant is no narrower than filtering
 * on it alone. Without these statistics PostgreSQL multiplies the two selectivities as if they were
 * independent. In a pooled database that made "this tenant's contacts of this owner" a small
 * fraction of the real count, so the contact list's two plans cost nearly the same: after some
 * ANALYZEs the planner read all of the owner's rows and sorted them instead of walking the owner
 * index in page order for one page, reading several times the pages per request (BENCHMARKS.md,
 * bench:crm, "Planner statistics in a pooled database").
 * In a dedicated database tenant_id has one value and the statistics change nothing.
 */
const TENANT_ID_COLUMNS: Record<string, string[]> = {
  accounts: ['owner_user_id'],
  activities: ['related_id', 'owner_user_id'],
  contact_accounts: ['contact_id', 'account_id'],
  contacts: ['owner_user_id'],
  data_audit: ['actor_user_id', 'entity_id'],
  deal_line_items: ['deal_id'],
  deal_stage_changes: ['deal_id', 'changed_by'],
  deals: ['owner_user_id', 'account_id', 'contact_id'],
  event_dates: ['event_id'],
  event_staff: ['event_id', 'user_id'],
  events: ['owner_user_id'],
  inventory_movements: ['item_id', 'created_by'],
  invoice_lines: ['invoice_id', 'item_id'],
  invoice_payments: ['invoice_id', 'created_by'],
  invoices: ['account_id', 'quote_id', 'converted_invoice_id'],
  notes: ['parent_id'],
};

export class TenantIdStatistics1764000000001 implements MigrationInterface {
  name = 'TenantIdStatistics1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(TENANT_ID_COLUMNS)) {
      await queryRunner.query(`CREATE STATISTICS ${table}_tenant_ids (dependencies) ON tenant_id, ${columns.join(', ')} FROM ${table}`);
      // Now rather than at the next auto-analyze, which a table that changes little may wait long for.
      await queryRunner.query(`ANALYZE ${table}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(TENANT_ID_COLUMNS)) await queryRunner.query(`DROP STATISTICS ${table}_tenant_ids`);
  }
}
