import { QueryRunner } from 'typeorm';
import { isConnectionLoss } from './connection-errors';
import { closeConnection, noteConnectionLoss } from './sound-connections';

/**
 * Gives a query runner's connection back to its pool, or has the pool close it when `failure`
 * says the connection is lost, or when the caller knows its state is unknown (`stateUnknown`, e.g.
 * a ROLLBACK that failed).
 *
 * Why: when PostgreSQL terminates a backend during a statement, pg fails the statement first and
 * only marks the client broken when the socket's end arrives, a moment later. A plain `release()`
 * in between puts the dead client back among the idle ones, and pg-pool hands it to the next
 * waiter, whose statement then fails with "Connection terminated unexpectedly" (or, if the end
 * arrives between two of its statements, TypeORM's "Query runner already released"). pg-pool's
 * `release(error)` removes the client instead; TypeORM passes it on from `releasePostgresConnection`.
 * A loss also makes the pool's older connections suspect (sound-connections.ts).
 */
export async function releaseQueryRunner(runner: QueryRunner, failure?: unknown, stateUnknown = false): Promise<void> {
  const lost = failure !== undefined && isConnectionLoss(failure);
  if (lost) noteConnectionLoss(runner.connection);
  if (runner.isReleased) return;
  if (lost || (failure !== undefined && stateUnknown)) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any thrown value, as text: only the pool's reason to drop the client
    await closeConnection(runner, failure instanceof Error ? failure : new Error(String(failure)));
  } else await runner.release();
}
