import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists filtered by owner walk an index in page order instead of the tenant's whole table
 * (BENCHMARKS.md, bench:crm).
 */
export class CrmListIndexes1763970000001 implements MigrationInterface {
  name = 'CrmListIndexes1763970000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['accounts', 'contacts', 'deals']) {
      await queryRunner.query(
        `CREATE INDEX ${table}_owner_idx ON ${table} (tenant_id, owner_user_id, created_at, id) WHERE deleted_at IS NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['accounts', 'contacts', 'deals']) await queryRunner.query(`DROP INDEX ${table}_owner_idx`);
  }
}
