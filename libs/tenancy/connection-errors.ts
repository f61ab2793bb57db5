/**
 * What a failed database call means for the caller, whatever layer raised it (PostgreSQL, pg,
 * pg-pool, TypeORM, the socket):
 * - `connection-lost`: the connection died or could not be opened (backend terminated, server
 *   restarting or full, socket reset, connect timeout). Nothing about the statement itself is
 *   wrong: a read may be run again on another connection.
 * - `lock-timeout`: the statement waited longer than `lock_timeout` for a lock (a migration holds
 *   the table); trying again later will do.
 * - `other`: anything else, left to the caller.
 */
export type DatabaseFailure = 'connection-lost' | 'lock-timeout' | 'other';

/**
 * SQLSTATEs of a connection that ended or cannot be had: class 08 (connection exception), 57P01
 * admin_shutdown (pg_terminate_backend, fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery), 57P05 idle_session_timeout, 53300
 * too_many_connections.
 */
const CONNECTION_STATES = /^(08...|57P01|57P02|57P03|57P05|53300)$/;

/** Socket errors of a connection that broke or could not be made. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * pg, pg-pool and TypeORM raise these as plain Errors, without a code. "Query runner already
 * released" (QueryRunner) and "Database connection provided by a query runner was already released"
 * (its EntityManager) are TypeORM's answers to a statement on a runner whose connection it gave
 * up when the connection raised an error between two statements.
 */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Query runner already released/,
  /^Database connection provided by a query runner was already released/,
];

export function classifyDatabaseFailure(error: unknown): DatabaseFailure {
  for (const cause of causesOf(error)) {
    const { code, message, name } = cause as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
    };
    if (typeof code === 'string' && (CONNECTION_STATES.test(code) || SOCKET_CODES.has(code))) return 'connection-lost';
    if (code === '55P03') return 'lock-timeout';
    if (name === 'QueryRunnerAlreadyReleasedError' || name === 'QueryRunnerProviderAlreadyReleasedError') return 'connection-lost';
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return 'connection-lost';
  }
  return 'other';
}

export function isConnectionLoss(error: unknown): boolean {
  return classifyDatabaseFailure(error) === 'connection-lost';
}

/** The error and what it wraps: TypeORM's `driverError`, standard `cause` (bounded, cycles ignored). */
function causesOf(error: unknown): unknown[] {
  const causes: unknown[] = [];
  let current = error;
  while (current && typeof current === 'object' && causes.length < 5 && !causes.includes(current)) {
    causes.push(current);
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return causes;
}

/**
 * A tenant database call failed because its connection was lost, and trying again (after
 * `retryAfterSeconds`) is safe: a read that failed twice, or a write whose transaction is known
 * not to have been applied. The app answers 503 with Retry-After.
 */
export class TenantConnectionLostError extends Error {
  readonly retryAfterSeconds = 1;

  constructor(
    message: string,
    /** `not-applied`: the transaction rolled back; `unknown`: COMMIT was sent and its outcome could not be learnt. */
    readonly outcome: 'not-applied' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TenantConnectionLostError';
  }
}
