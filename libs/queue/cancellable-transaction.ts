import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** How often a cancel is repeated while the work has not given up: one that lands between two statements cancels nothing. */
const CANCEL_REPEAT_MS = 200;

/** TypeORM's way to hand a connection back to pg-pool as broken (private in its typings). */
type DiscardableRunner = QueryRunner & { releasePostgresConnection(error?: Error): Promise<void> };

/**
 * Runs `work` in a transaction on one connection of `dataSource`. When `signal` aborts, no
 * further statement starts, the statement in flight is cancelled on the server
 * (pg_cancel_backend through another connection of the pool, so a statement waiting on a lock
 * stops too), the transaction rolls back and the abort's reason is thrown. A connection that
 * was sent a cancel is discarded rather than reused, so a late cancel can never hit its next user.
 * Without a signal it is a plain transaction.
 */
export function cancellableTransaction<T>(
  dataSource: DataSource,
  signal: AbortSignal | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return onCancellableConnection(dataSource, signal, true, work);
}

/**
 * One statement, atomic on its own, cancelled as `cancellableTransaction`'s are: the same
 * guarantees without the two round trips of BEGIN and COMMIT.
 */
export function cancellableQuery<T>(dataSource: DataSource, signal: AbortSignal | undefined, sql: string, values: unknown[]): Promise<T> {
  return onCancellableConnection(dataSource, signal, false, (manager) => manager.query<T>(sql, values));
}

async function onCancellableConnection<T>(
  dataSource: DataSource,
  signal: AbortSignal | undefined,
  inTransaction: boolean,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  signal?.throwIfAborted();
  const runner = dataSource.createQueryRunner() as DiscardableRunner;
  const connection = (await runner.connect()) as { processID?: number };
  const query = runner.query.bind(runner);
  runner.query = ((...args: Parameters<typeof query>) => {
    signal?.throwIfAborted();
    return query(...args);
  }) as typeof runner.query;

  let settled = false;
  let cancelling: Promise<void> | undefined;
  const cancel = async () => {
    while (!settled && connection.processID) {
      await dataSource.query('SELECT pg_cancel_backend($1)', [connection.processID]).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, CANCEL_REPEAT_MS));
    }
  };
  const onAbort = () => {
    cancelling = cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (inTransaction) await runner.startTransaction();
    const result = await work(runner.manager);
    if (inTransaction) {
      signal?.throwIfAborted();
      await runner.commitTransaction();
    }
    return result;
  } catch (error) {
    runner.query = query;
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw signal?.aborted ? signal.reason : error;
  } finally {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
    if (cancelling) {
      await cancelling;
      await runner.releasePostgresConnection(new Error('cancelled'));
    } else {
      await runner.release();
    }
  }
}
