import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;
/**
 * Before it looks: every process hears of a freeze through the change feed within moments, and a
 * write that passed its last check (the WriteGate) just before hearing of it begins its transaction
 * at once. Once this has passed, such a transaction has begun and is waited for; later ones are held.
 */
const FREEZE_NOTICE_GRACE_MS = 100;

/** Runs one statement on the database to watch (a pg Client, a TypeORM QueryRunner): the rows it returns. */
export type WatchQuery = (text: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Waits until every transaction on the database that began before now (the server's clock, after a
 * short grace) has ended: after the write freeze is committed, a write admitted just before it may
 * still be committing. Returns the milliseconds waited. Sessions are those pg_stat_activity shows the
 * caller: all of them for an admin, its own role's for a tenant's (every session of a tenant's
 * database or pool uses that role).
 */
export async function untilOlderTransactionsEnd(query: WatchQuery, signal?: AbortSignal): Promise<number> {
  const started = Date.now();
  await sleep(FREEZE_NOTICE_GRACE_MS);
  const [{ now: since }] = await query('SELECT clock_timestamp() AS now', []);
  for (;;) {
    signal?.throwIfAborted();
    const [{ count }] = await query(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start < $1 AND backend_type = 'client backend'`,
      [since],
    );
    if (count === 0) return Date.now() - started;
    await sleep(POLL_MS);
  }
}
