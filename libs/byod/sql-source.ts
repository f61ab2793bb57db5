import CircuitBreaker from 'opossum';
import { createPool, Pool as MysqlPool } from 'mysql2/promise';
import { Pool as PgPool } from 'pg';
import { secretsOf, SqlConnectionSettings, SqlDialect } from './connection-settings';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { SourceRefusedValueError, sqlRefusalOf } from './source-refusal';
import { mysqlConnectionOptions, pgConnectionOptions } from './sql-connection-options';

export interface SqlSourceOptions {
  /** The address the host resolved to when it passed the network guard: every connection dials it. */
  address: string;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  poolSize: number;
  /** How long the breaker stays open before one trial request may pass. */
  breakerResetMs: number;
}

type Rows = Array<Record<string, unknown>>;

/** What a statement returned: its rows, and how many rows it changed (for writes). */
export interface StatementResult {
  rows: Rows;
  affected: number;
  /** MySQL: the AUTO_INCREMENT value an INSERT generated (0 when none). */
  insertId?: number;
}

/**
 * A pool on one customer's PostgreSQL or MySQL database, behind a circuit breaker: connect and
 * query timeouts bound every call, and once calls keep failing the breaker answers at once
 * (DataSourceUnreachableError) instead of letting that tenant's requests pile up; after
 * `breakerResetMs` one trial call goes through and, if it works, the breaker closes again. A
 * statement the database refuses for its data (a value the column cannot hold, a duplicate, a
 * missing reference) is the request's fault, not the source's: it neither counts toward the
 * breaker nor trips it, and becomes a SourceRefusedValueError.
 */
export class SqlSource {
  private readonly breaker: CircuitBreaker<[string, unknown[]], StatementResult>;
  private readonly run: (sql: string, params: unknown[]) => Promise<StatementResult>;
  private readonly closePool: () => Promise<void>;

  constructor(
    readonly dialect: SqlDialect,
    private readonly settings: SqlConnectionSettings,
    options: SqlSourceOptions,
  ) {
    if (dialect === 'postgres') {
      const pool = new PgPool({
        ...pgConnectionOptions(settings, options.address),
        max: options.poolSize,
        connectionTimeoutMillis: options.connectTimeoutMs,
        query_timeout: options.queryTimeoutMs,
        statement_timeout: options.queryTimeoutMs,
        application_name: 'tenantry-byod',
      });
      pool.on('error', () => undefined);
      this.run = async (sql, params) => {
        const result = await pool.query(sql, params);
        return { rows: result.rows as Rows, affected: result.rowCount ?? 0 };
      };
      this.closePool = () => pool.end();
    } else {
      const pool: MysqlPool = createPool({
        ...mysqlConnectionOptions(settings, options.address),
        connectionLimit: options.poolSize,
        connectTimeout: options.connectTimeoutMs,
        // DECIMAL as strings: exact, converted by the mapping, never through a float.
        decimalNumbers: false,
        // BIGINT beyond 2^53 (snowflake keys, say) as strings, as PostgreSQL's driver gives int8: a number would round
        // two such keys to one. Those within it stay numbers.
        supportBigNumbers: true,
        dateStrings: true,
      });
      pool.on('connection', (connection) => connection.on('error', () => undefined));
      this.run = async (sql, params) => {
        const [result] = await pool.query({ sql, values: params, timeout: options.queryTimeoutMs });
        return Array.isArray(result)
          ? { rows: result as Rows, affected: 0 }
          : { rows: [], affected: result.affectedRows, insertId: result.insertId };
      };
      this.closePool = () => pool.end();
    }
    this.breaker = new CircuitBreaker((sql: string, params: unknown[]) => this.run(sql, params), {
      // The driver's own timeouts end a call; this one only catches a call that hangs anyway.
      timeout: options.connectTimeoutMs + options.queryTimeoutMs + 1_000,
      resetTimeout: options.breakerResetMs,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      errorFilter: (error: unknown) => sqlRefusalOf(error) !== undefined,
    });
  }

  /** Runs one statement; `params` are always bound, never spliced into `sql`. */
  async query(sql: string, params: unknown[] = []): Promise<Rows> {
    return (await this.execute(sql, params)).rows;
  }

  async execute(sql: string, params: unknown[] = []): Promise<StatementResult> {
    try {
      return await this.breaker.fire(sql, params);
    } catch (error) {
      const reason = scrubbed(reasonOf(error), secretsOf(this.settings));
      const refusal = sqlRefusalOf(error);
      if (refusal) throw new SourceRefusedValueError(refusal.kind, reason, refusal.column);
      if (this.breaker.opened)
        throw new DataSourceUnreachableError(`The tenant's database is unavailable (calls are paused after repeated failures): ${reason}`);
      throw new DataSourceUnreachableError(`The tenant's database did not answer: ${reason}`);
    }
  }

  /** False while the circuit breaker is open (calls are answered at once, without reaching the database). */
  get available(): boolean {
    return !this.breaker.opened;
  }

  /** True once the breaker is closed: half-open (one call trying whether the database is back) is not yet healthy. */
  get healthy(): boolean {
    return this.breaker.closed;
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.closePool().catch(() => undefined);
  }
}
