import { escapeLiteral } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in a transaction on `dataSource` with `app.tenant_id` bound for that transaction
 * only (`set_config(…, true)`), so the binding can never outlive it on a pooled connection.
 *
 * TypeORM's `startTransaction()` sends START TRANSACTION alone, and binding the tenant would be a
 * second round trip. Here both go in one simple-protocol query (measured in bench:routing: one of
 * the four round trips of a one-row read), then the query runner is put in the state
 * `startTransaction()` leaves it in — active, depth 1 — so `save()` joins this transaction,
 * nested `manager.transaction()` uses savepoints, and commit/rollback work as usual
 * (tenant-transaction.spec.ts holds TypeORM to that). The tenant id is a UUID from the control
 * plane, checked again here before it is written as a literal.
 */
export async function inTenantTransaction<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (queryRunner: QueryRunner) => Promise<T>,
): Promise<T> {
  assertTenantId(tenantId);
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.query(`START TRANSACTION; SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true)`);
    markTransactionStarted(queryRunner);
    try {
      const result = await work(queryRunner);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await queryRunner.release();
  }
}

/** Tenant ids are written into SQL and connection options as literals, so only UUIDs pass. */
export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) {
    throw new Error('A tenant id must be a UUID');
  }
}

function markTransactionStarted(queryRunner: QueryRunner): void {
  const state = queryRunner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}
