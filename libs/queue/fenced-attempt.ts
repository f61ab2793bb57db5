import { escapeIdentifier } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { cancellableQuery, cancellableTransaction } from './cancellable-transaction';

/** The table of the rows jobs work on, and its integer column holding the token of the attempt that owns a row. */
export interface FenceTarget {
  table: string;
  tokenColumn: string;
  /** SQL condition under which the row is being worked on at all (e.g. `status = 'provisioning'`); no attempt owns it otherwise. */
  ownedWhile: string;
}

/**
 * What a claim also reads, in its own statement: `select` over `claimed` (every column of the row
 * just claimed) and whatever `join` adds; `where` narrows which rows may be claimed at all. The
 * join must find a row for every claimed one (a foreign key's): a claim it drops reads as none.
 */
export interface ClaimRead {
  where?: string;
  select?: string;
  join?: string;
}

/** The attempt was superseded by a newer one (or the job was ended): it may no longer write anything. */
export class AttemptSupersededError extends Error {
  constructor(readonly token: number) {
    super(`attempt ${token} no longer owns its job: a newer attempt or the job's end superseded it`);
    this.name = 'AttemptSupersededError';
  }
}

/**
 * One attempt of a job on one row, fenced by a token: claiming increments the row's token, and
 * every transaction of the attempt first locks the row and checks the token is still its own.
 * The lock is held to commit, so a newer attempt's claim waits for a commit in flight and then
 * wins; from then on the older attempt's transactions are refused. Its transactions are
 * cancelled when the attempt's signal aborts (e.g. at the job's timeout).
 */
export class FencedAttempt {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly target: FenceTarget,
    readonly rowId: string,
    readonly token: number,
    readonly signal: AbortSignal,
  ) {}

  /** Starts an attempt on row `rowId`, superseding all earlier ones; null when the row is not being worked on. */
  static async claim(dataSource: DataSource, target: FenceTarget, rowId: string, signal: AbortSignal): Promise<FencedAttempt | null> {
    return (await FencedAttempt.claimReading(dataSource, target, rowId, signal))?.attempt ?? null;
  }

  /**
   * `claim`, reading what the attempt works on in the same statement (one round trip, no
   * transaction: the claim is a single UPDATE); null when no row may be claimed.
   */
  static async claimReading<R extends object>(
    dataSource: DataSource,
    target: FenceTarget,
    rowId: string,
    signal: AbortSignal,
    read: ClaimRead = {},
  ): Promise<{ attempt: FencedAttempt; row: R } | null> {
    const column = escapeIdentifier(target.tokenColumn);
    const condition = read.where ? `(${target.ownedWhile}) AND (${read.where})` : target.ownedWhile;
    const [claimed] = await cancellableQuery<Array<R & { fence_token: number }>>(
      dataSource,
      signal,
      `WITH claimed AS (
         UPDATE ${escapeIdentifier(target.table)} SET ${column} = ${column} + 1 WHERE id = $1 AND (${condition}) RETURNING *, ${column} AS fence_token
       ) SELECT claimed.fence_token${read.select ? `, ${read.select}` : ''} FROM claimed ${read.join ?? ''}`,
      [rowId],
    );
    if (!claimed) return null;
    const { fence_token: token, ...row } = claimed;
    return { attempt: new FencedAttempt(dataSource, target, rowId, token, signal), row: row as unknown as R };
  }

  /**
   * An attempt whose claim the caller made in a statement of its own, typically one that claims
   * several rows at once: that statement must have incremented `rowId`'s token column and returned
   * the new value, `token`.
   */
  static claimedBy(dataSource: DataSource, target: FenceTarget, rowId: string, token: number, signal: AbortSignal): FencedAttempt {
    return new FencedAttempt(dataSource, target, rowId, token, signal);
  }

  /**
   * Fenced writes for many attempts in one statement (see `write`): `rows` gives each attempt its
   * values of `columns` (name and SQL type), and `writes` take their rows from `owned`: the
   * attempts' rows that are still theirs, locked, with `id` and those columns. Returns the attempts
   * that still owned their rows; the writes wrote nothing for the others (superseded). Every
   * attempt must be on `target`, and no column may share a name with one `ownedWhile` reads (it is
   * evaluated beside them). Not cancelled: it records how attempts ended.
   */
  static async writeEach(
    dataSource: DataSource,
    target: FenceTarget,
    rows: ReadonlyArray<{ attempt: FencedAttempt; values: readonly unknown[] }>,
    columns: ReadonlyArray<{ name: string; type: string }>,
    writes: readonly string[],
  ): Promise<FencedAttempt[]> {
    if (rows.length === 0) return [];
    const names = ['id', 'fence_token', ...columns.map((column) => column.name)].map(escapeIdentifier).join(', ');
    const arrays = ['uuid', 'int', ...columns.map((column) => column.type)].map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    const values = [
      rows.map((row) => row.attempt.rowId),
      rows.map((row) => row.attempt.token),
      ...columns.map((_, i) => rows.map((row) => row.values[i])),
    ];
    // `fenced.id = ANY($1)` repeats the join for the planner: it then looks the rows up by primary key, not by whatever
    // index serves `ownedWhile` (a partial index of a queue's live rows, whose stale entries it would visit each time).
    const owned = await dataSource.query<Array<{ id: string; fence_token: number }>>(
      `WITH given AS (SELECT * FROM unnest(${arrays}) AS given (${names})),
       owned AS (
         SELECT given.* FROM ${escapeIdentifier(target.table)} fenced JOIN given ON given.id = fenced.id
          WHERE fenced.id = ANY($1::uuid[]) AND (${target.ownedWhile})
            AND fenced.${escapeIdentifier(target.tokenColumn)} = given.fence_token FOR UPDATE OF fenced
       ), ${writes.join(', ')}
       SELECT id, fence_token FROM owned`,
      values,
    );
    const owning = new Set(owned.map((row) => `${row.id}/${row.fence_token}`));
    return rows.map((row) => row.attempt).filter((attempt) => owning.has(`${attempt.rowId}/${attempt.token}`));
  }

  /**
   * Ends the job on the row in the caller's transaction: sets `columns` (which should make
   * `ownedWhile` false, e.g. a final status) and supersedes every attempt, in one statement, so
   * whatever attempt still runs commits nothing more. False when the row was not being worked on.
   */
  static async end(manager: EntityManager, target: FenceTarget, rowId: string, columns: Record<string, unknown>): Promise<boolean> {
    return (await FencedAttempt.bump(manager, target, rowId, columns)).length === 1;
  }

  /**
   * Runs `work` in a transaction that commits only while this attempt owns the row, else throws
   * AttemptSupersededError. It is cancelled when the attempt's signal aborts, unless
   * `cancellable` is false (for recording how the attempt ended, after it was aborted).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, options: { cancellable?: boolean } = {}): Promise<T> {
    return cancellableTransaction(this.dataSource, options.cancellable === false ? undefined : this.signal, async (manager) => {
      const [row] = await manager.query<Array<{ token: number } | undefined>>(
        `SELECT ${escapeIdentifier(this.target.tokenColumn)} AS token FROM ${escapeIdentifier(this.target.table)}
          WHERE id = $1 AND (${this.target.ownedWhile}) FOR UPDATE`,
        [this.rowId],
      );
      if (row?.token !== this.token) throw new AttemptSupersededError(this.token);
      return work(manager);
    });
  }

  /**
   * Fenced writes in one statement, one round trip instead of a transaction's four: `writes` are
   * CTEs (`name AS (…)`) that take their rows from `owned`, this attempt's row, locked, present only
   * while the attempt owns it, so they write nothing once it is superseded. Their parameters start
   * at $3 ($1 is the row's id, $2 the token). Throws AttemptSupersededError when the attempt no
   * longer owns the row. Not cancelled by the signal: it records how an attempt ended.
   */
  async write(writes: readonly string[], values: readonly unknown[]): Promise<void> {
    const { table, tokenColumn, ownedWhile } = this.target;
    const [row] = await this.dataSource.query<Array<{ owned: number }>>(
      `WITH owned AS (
         SELECT id FROM ${escapeIdentifier(table)} WHERE id = $1 AND (${ownedWhile}) AND ${escapeIdentifier(tokenColumn)} = $2 FOR UPDATE
       ), ${writes.join(', ')}
       SELECT count(*)::int AS owned FROM owned`,
      [this.rowId, this.token, ...values],
    );
    if (row?.owned !== 1) throw new AttemptSupersededError(this.token);
  }

  private static bump(
    manager: EntityManager,
    target: FenceTarget,
    rowId: string,
    columns: Record<string, unknown> = {},
  ): Promise<Array<{ token: number }>> {
    const column = escapeIdentifier(target.tokenColumn);
    const names = Object.keys(columns);
    const assignments = [`${column} = ${column} + 1`, ...names.map((name, i) => `${escapeIdentifier(name)} = $${i + 2}`)].join(', ');
    // Wrapped in a SELECT so the driver returns the rows alone (an UPDATE's result also carries its count).
    return manager.query(
      `WITH claimed AS (
         UPDATE ${escapeIdentifier(target.table)} SET ${assignments} WHERE id = $1 AND (${target.ownedWhile}) RETURNING ${column} AS token
       ) SELECT token FROM claimed`,
      [rowId, ...names.map((name) => columns[name])],
    );
  }
}
