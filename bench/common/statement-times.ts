import { query } from './bench-postgres';

/** Server flags that load pg_stat_statements into a bench's embedded PostgreSQL (a server named by DATABASE_URL must load it itself). */
export const STATEMENT_TIMES_FLAGS = ['-c', 'shared_preload_libraries=pg_stat_statements'];

export interface StatementTime {
  /** Time inside PostgreSQL, lock waits included, over every database of the server. */
  ms: number;
  calls: number;
  rows: number;
  /** The normalised statement, whitespace collapsed, cut at 140 characters. */
  statement: string;
}

/**
 * Where PostgreSQL spent its time during a measurement, by statement: starts pg_stat_statements'
 * counters afresh and returns a function that reads the `top` statements by time since then.
 * What a CPU profile of the app cannot show: which of the app's statements (or a neighbour's,
 * such as a relay) keep the database busy.
 */
export async function statementTimes(adminUrl: string, top = 12): Promise<() => Promise<StatementTime[]>> {
  await query(adminUrl, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await query(adminUrl, 'SELECT pg_stat_statements_reset()');
  return async () => {
    const rows = await query(
      adminUrl,
      `SELECT round(total_exec_time)::int AS ms, calls::int, rows::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS statement
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
      [top],
    );
    return rows as StatementTime[];
  };
}
