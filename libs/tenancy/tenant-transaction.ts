import { escapeLiteral } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { isConnectionLoss, TenantConnectionLostError } from './connection-errors';
import { releaseQueryRunner } from './query-runner-release';
import { SessionSettings, transactionLocalSettings } from './session-settings';
import { soundQueryRunner } from './sound-connections';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in a transaction on `dataSource` with `app.tenant_id` (and any `settings`) bound for
 * that transaction only (`set_config(…, true)`), so the binding can never outlive it on a pooled
 * connection, nor on a server connection a transaction pooler hands to someone else next.
 *
 * TypeORM's `startTransaction()` sends START TRANSACTION alone, and binding the tenant would be a
 * second round trip. Here both go in one simple-protocol query (one of the four round trips of a
 * one-row read; BENCHMARKS.md, bench:routing), then the query runner is put in the state
 * `startTransaction()` leaves it in — active, depth 1 — so `save()` joins this transaction,
 * nested `manager.transaction()` uses savepoints, and commit/rollback work as usual
 * (tenant-transaction.spec.ts holds TypeORM to that). The tenant id is a UUID from the control
 * plane, checked again here before it is written as a literal.
 *
 * When the connection is lost (see connection-errors.ts), a write ends in TenantConnectionLostError
 * whose `outcome` is known whenever it can be: lost before COMMIT was sent, the server rolled the
 * transaction back (`not-applied`); lost while COMMIT was under way, the transaction's status is
 * looked up on a fresh connection, so a committed write returns its result as if nothing happened
 * and an aborted one is `not-applied`; only a server unreachable for the whole lookup leaves it
 * `unknown`. A dead connection is never handed back to the pool (releaseQueryRunner).
 */
export async function inTenantTransaction<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (queryRunner: QueryRunner) => Promise<T>,
  options: TenantTransactionOptions = {},
): Promise<T> {
  assertTenantId(tenantId);
  const start = `START TRANSACTION; SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true)${transactionLocalSettings(options.settings ?? {})}`;
  // A connection found dead at START is retried once at once: nothing of `work` has run yet.
  for (let attempt = 1; ; attempt += 1) {
    let queryRunner: QueryRunner;
    try {
      queryRunner = await soundQueryRunner(dataSource);
    } catch (error) {
      if (attempt === 1 && !options.readOnly && isConnectionLoss(error)) continue;
      throw options.readOnly ? error : notAppliedIfLost(error);
    }
    let failure: unknown;
    let stateUnknown = false;
    try {
      try {
        await queryRunner.query(start);
      } catch (error) {
        failure = error;
        if (attempt === 1 && !options.readOnly && isConnectionLoss(error)) continue;
        throw options.readOnly ? error : notAppliedIfLost(error);
      }
      markTransactionStarted(queryRunner);
      let result: T;
      let xid: string | null = null;
      try {
        result = await work(queryRunner);
        if (!options.readOnly) xid = await assignedTransactionId(queryRunner);
      } catch (error) {
        failure = error;
        if (!isConnectionLoss(error)) {
          await queryRunner.rollbackTransaction().catch((rollbackError: unknown) => {
            failure = rollbackError;
            stateUnknown = true;
          });
        }
        // A transaction whose connection died before COMMIT was sent is rolled back by the server.
        throw options.readOnly ? error : notAppliedIfLost(error);
      }
      try {
        await queryRunner.commitTransaction();
      } catch (error) {
        failure = error;
        if (!isConnectionLoss(error)) throw error;
        // Nothing was written (a read, or a write that found nothing to change): the result stands.
        if (xid === null) return result;
        const outcome = await commitOutcome(dataSource, xid, options.commitCheckTimeoutMs ?? 3_000);
        if (outcome === 'committed') return result;
        throw outcome === 'aborted'
          ? new TenantConnectionLostError(NOT_APPLIED, 'not-applied', { cause: error })
          : new TenantConnectionLostError(
              'The connection to the tenant database was lost while the change was being committed, and whether it was applied ' +
                'could not be learnt: check before repeating it',
              'unknown',
              { cause: error },
            );
      }
      return result;
    } finally {
      await releaseQueryRunner(queryRunner, failure, stateUnknown);
    }
  }
}

export interface TenantTransactionOptions {
  /**
   * The work only reads: its result stands even if COMMIT cannot be acknowledged, and connection
   * errors are rethrown as they are, for the caller to run the read again.
   */
  readOnly?: boolean;
  /** How long the outcome of a COMMIT whose acknowledgement was lost is looked for (default 3 s). */
  commitCheckTimeoutMs?: number;
  /** Settings for this transaction only, set with the tenant in the same round trip (a database behind a transaction pooler). */
  settings?: SessionSettings;
}

const NOT_APPLIED = 'The connection to the tenant database was lost and the change was not applied; retry shortly';

function notAppliedIfLost(error: unknown): unknown {
  return isConnectionLoss(error)
    ? new TenantConnectionLostError(NOT_APPLIED, 'not-applied', {
        cause: error,
      })
    : error;
}

/**
 * The transaction's id if it wrote anything (PostgreSQL assigns one at the first write), read
 * just before COMMIT so that a COMMIT whose answer is lost can be looked up afterwards. One round
 * trip per write transaction: the price of never answering "maybe" when the answer can be known.
 */
async function assignedTransactionId(queryRunner: QueryRunner): Promise<string | null> {
  const [row] = (await queryRunner.query('SELECT pg_current_xact_id_if_assigned()::text AS xid')) as { xid: string | null }[];
  return row?.xid ?? null;
}

/**
 * Whether transaction `xid` committed, from a fresh connection (pg_xact_status, made for exactly
 * this). "in progress" lasts until the terminated backend has exited, so it is asked again for a
 * bounded time; a server that cannot be reached in that time leaves the outcome unknown.
 */
async function commitOutcome(dataSource: DataSource, xid: string, timeoutMs: number): Promise<'committed' | 'aborted' | 'unknown'> {
  const deadline = Date.now() + timeoutMs;
  do {
    let runner: QueryRunner | undefined;
    let failure: unknown;
    try {
      runner = await soundQueryRunner(dataSource);
      const [row] = (await runner.query('SELECT pg_xact_status($1::xid8) AS status', [xid])) as { status: string | null }[];
      if (row?.status === 'committed' || row?.status === 'aborted') return row.status;
    } catch (error) {
      failure = error;
      if (!isConnectionLoss(error)) return 'unknown';
    } finally {
      if (runner) await releaseQueryRunner(runner, failure);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  return 'unknown';
}

/** Tenant ids are written into SQL and connection options as literals, so only UUIDs pass. */
export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) {
    throw new Error('A tenant id must be a UUID');
  }
}

function markTransactionStarted(queryRunner: QueryRunner): void {
  const state = queryRunner as unknown as {
    isTransactionActive: boolean;
    transactionDepth: number;
  };
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}
