import { escapeLiteral } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { releaseQueryRunner } from './query-runner-release';
import { SessionSettings, transactionLocalSettings } from './session-settings';
import { soundQueryRunner } from './sound-connections';
import { assertTenantId } from './tenant-transaction';

/**
 * Runs read-only `work` in one REPEATABLE READ transaction with the tenant bound (as
 * inTenantTransaction binds it): every statement sees the tenant's data as it was at the first
 * one, so reading table after table gives one consistent picture (a row never refers to a row the
 * reader did not see), while writers go on. The isolation level has to be set in START
 * TRANSACTION itself: binding the tenant is already a query, after which it can no longer change.
 */
export async function inTenantSnapshot<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (runner: QueryRunner) => Promise<T>,
  settings: SessionSettings = {},
): Promise<T> {
  assertTenantId(tenantId);
  const runner = await soundQueryRunner(dataSource);
  let failure: unknown;
  try {
    await runner.query(
      `START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true)${transactionLocalSettings(settings)}`,
    );
    try {
      const result = await work(runner);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await releaseQueryRunner(runner, failure);
  }
}
