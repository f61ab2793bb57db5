import { DataSource, QueryRunner } from 'typeorm';

/**
 * After a connection of a pool is found lost, the pool's other connections to that server are
 * suspect: when PostgreSQL terminates every backend of a database (a failover, an operator, a
 * restart), idle connections learn it only when their backend gets round to sending its goodbye,
 * and a retry handed one of them fails again. So a query runner taken after a loss gets only a
 * connection opened after it; older ones are closed as they come up.
 *
 * Order is a logical clock (connections opened, losses seen), not wall time, so "after" is exact.
 */
let clock = 0;
const openedAt = new WeakMap<object, number>();
const lastLossAt = new WeakMap<DataSource, number>();

/** Records that a connection of `dataSource` was lost: connections opened until now are not used again. */
export function noteConnectionLoss(dataSource: DataSource): void {
  clock += 1;
  lastLossAt.set(dataSource, clock);
}

/** A query runner of `dataSource` whose connection, if a loss was seen, was opened after the last one. */
export async function soundQueryRunner(dataSource: DataSource): Promise<QueryRunner> {
  for (;;) {
    const runner = dataSource.createQueryRunner();
    const loss = lastLossAt.get(dataSource);
    if (loss === undefined) return runner;
    const client = (await runner.connect()) as object;
    if ((openedAt.get(client) ?? 0) > loss) return runner;
    await closeConnection(runner);
  }
}

/**
 * pg-pool's `onConnect` hook for every pool whose connections soundQueryRunner hands out (the
 * registry sets it on each DataSource): stamps each new connection, and gives it an "error"
 * listener of its own. pg-pool takes its listener off a connection the moment it hands it out,
 * and TypeORM adds its own only a promise turn later; a backend terminated in between (its FATAL
 * can come in the same packet as the ReadyForQuery that ends the startup) would emit the error
 * with no listener and crash the process. The error itself is not lost: pg marks the connection
 * unusable, its next query fails as a lost connection, and the pool drops it when it comes back.
 */
export function watchConnection(client: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  clock += 1;
  openedAt.set(client, clock);
  client.on('error', () => undefined);
}

/** Has the pool close the runner's connection instead of keeping it (pg-pool's `release(error)`, through TypeORM). */
export async function closeConnection(
  runner: QueryRunner,
  reason: Error = new Error('Connection opened before a connection loss'),
): Promise<void> {
  const release = (
    runner as unknown as {
      releasePostgresConnection?: (this: QueryRunner, error?: Error) => Promise<void>;
    }
  ).releasePostgresConnection;
  if (release) await release.call(runner, reason);
  else await runner.release();
}
