import { QueryRunner } from 'typeorm';

/**
 * Row-level security on tenant tables: a row is visible and writable only while its tenant is
 * the one bound to the connection (`current_tenant_id()`), for the table owner too (FORCE). Every
 * table with a tenant_id gets it in the migration that creates it.
 */
export async function isolateTenants(queryRunner: QueryRunner, tables: string[]): Promise<void> {
  for (const table of tables) {
    await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = current_tenant_id())
        WITH CHECK (tenant_id = current_tenant_id())`);
  }
}
