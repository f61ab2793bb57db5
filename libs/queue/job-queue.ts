import { PgBoss, type JobWithMetadata, type Queue, type SendOptions } from 'pg-boss';

export type JobQueueOptions = {
  connectionString: string;
  /** How often expired jobs are failed (and so retried) and old jobs removed. */
  maintenanceIntervalSeconds: number;
  /** Connections the queue may open to its database. */
  poolSize?: number;
  /** Told of every attempt this process's workers finish: for metrics. */
  onAttemptSettled?: (queue: string, seconds: number, outcome: 'completed' | 'failed') => void;
};

/** The retry, expiry and dead-letter policy of a queue: what `defineQueue` keeps up to date. */
export type QueuePolicy = Pick<Queue, 'retryLimit' | 'retryDelay' | 'retryBackoff' | 'expireInSeconds' | 'deadLetter' | 'heartbeatSeconds'>;

/**
 * For queues whose jobs run long and hold something while they do (a tenant's write freeze): a
 * running job's worker refreshes its heartbeat this often (half of it), and a job whose worker
 * stopped (killed, cut off) is failed, and so retried, at the next maintenance pass after the
 * heartbeat goes stale, instead of only once the job's whole timeout has passed.
 */
export const LIVENESS_HEARTBEAT_SECONDS = 10;

/** Runs a statement inside the caller's transaction (e.g. a TypeORM EntityManager's query). */
export type TransactionalQuery = (text: string, values: unknown[]) => Promise<unknown[]>;

/** `signal` aborts when the attempt's time is up (the job's expiry): pg-boss then fails or retries the job, so the handler must stop. */
export type JobHandler<T> = (job: JobWithMetadata<T>, signal: AbortSignal) => Promise<void>;

/** The reason an attempt's signal aborts with once the job's expiry has passed. */
export class AttemptTimedOutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the attempt timed out after ${timeoutMs} ms`);
    this.name = 'AttemptTimedOutError';
  }
}

/** A job as the queue's overview lists it. */
export interface JobRow {
  id: string;
  data: unknown;
  retryCount: number;
  startedOn: Date | null;
  output: unknown;
}

/**
 * A durable job queue in the control-plane database (pg-boss, schema `pgboss`): no second system
 * to run, and a job can be enqueued in the same transaction as the rows it is about, so a
 * committed change always has its job and a rolled-back one never does.
 *
 * Jobs are at-least-once: a worker that dies mid-job has its job expire and run again, so
 * handlers must be idempotent; and an expired attempt may still be running when the next one
 * starts, so handlers stop when their signal aborts and fence their writes (FencedAttempt).
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly workers = new Map<string, string[]>();
  private readonly queues = new Set<string>();

  constructor(
    private readonly options: JobQueueOptions,
    onError: (error: Error) => void,
  ) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      application_name: 'tenantry-queue',
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
      // A job carries the trace context it was sent in, so its processing continues the trace of the
      // request that asked for it. Without an OpenTelemetry SDK nothing is stored.
      openTelemetry: { propagateContext: true },
      // pg-boss 12 fails expired jobs in its monitor pass, timed by these two (60 s by default), not by
      // the maintenance interval: without them a killed worker's job waited a minute whatever was configured.
      superviseIntervalSeconds: options.maintenanceIntervalSeconds,
      monitorIntervalSeconds: options.maintenanceIntervalSeconds,
    });
    this.boss.on('error', onError);
  }

  async start(): Promise<void> {
    await this.boss.start();
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }

  /** Creates the queue, or updates its retry and expiry policy to these values. */
  async defineQueue(name: string, options: QueuePolicy): Promise<void> {
    await retryingDeadlocks(() => this.boss.createQueue(name, options));
    await this.boss.updateQueue(name, options);
    this.queues.add(name);
  }

  /** Removes a queue that is no longer used, with its jobs; nothing when there is no such queue. */
  async deleteQueue(name: string): Promise<void> {
    if (await this.boss.getQueue(name)) await this.boss.deleteQueue(name);
  }

  /** The queues this process defined. */
  get queueNames(): readonly string[] {
    return [...this.queues];
  }

  /** Enqueues a job in the caller's transaction: it exists only if that transaction commits. */
  async sendWithin(query: TransactionalQuery, name: string, data: object, options: SendOptions = {}): Promise<string> {
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: await query(text, values) }) };
    const id = await this.boss.send(name, data, { ...options, db });
    if (!id) throw new Error(`Queue ${name} refused the job`);
    return id;
  }

  /**
   * Works jobs of `name` with `concurrency` workers, each one job at a time; a handler that
   * throws fails the job (and so retries it). pg-boss stops waiting for a handler at the job's
   * expiry but does not stop it, so each attempt gets a signal that aborts at that moment. A
   * worker that has just finished a job looks for the next one at once: pg-boss would otherwise
   * wait out the rest of its polling interval after every job, and a backlog would drain at one
   * job per interval per worker.
   */
  async work<T extends object>(name: string, pollingIntervalSeconds: number, handler: JobHandler<T>, concurrency = 1): Promise<void> {
    const ids: string[] = [];
    this.workers.set(name, ids);
    const options = { includeMetadata: true, batchSize: 1, pollingIntervalSeconds } as const;
    for (let i = 0; i < concurrency; i += 1) {
      const id: string = await this.boss.work<T, void, typeof options>(name, options, async ([job]) => {
        try {
          const failure = await this.attempt(name, job, handler);
          if (failure) throw failure;
        } finally {
          this.boss.notifyWorker(id);
        }
      });
      ids.push(id);
    }
  }

  /** One attempt at a job, with its deadline; what it failed with, if it did. */
  private async attempt<T>(name: string, job: JobWithMetadata<T>, handler: JobHandler<T>): Promise<Error | undefined> {
    // The same deadline pg-boss gives the handler (at least a second), with a reason that says so;
    // pg-boss's own signal also aborts when the attempt's claim is lost.
    const timeoutMs = Math.max(1, Number(job.expireInSeconds)) * 1000;
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(new AttemptTimedOutError(timeoutMs)), timeoutMs);
    const started = performance.now();
    let failure: Error | undefined;
    try {
      await handler(job, AbortSignal.any([attempt.signal, job.signal]));
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      clearTimeout(timer);
      this.options.onAttemptSettled?.(name, (performance.now() - started) / 1000, failure === undefined ? 'completed' : 'failed');
    }
    return failure;
  }

  /**
   * Sends a job of `name` at each occurrence of `cron` (UTC), once for all processes however many
   * call this (pg-boss keeps one schedule per queue and sends from whichever process checks first).
   * An occurrence missed while no process ran is sent once when one starts again.
   */
  async schedule(name: string, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, null, { tz: 'UTC', missed: 'once' });
  }

  /** Wakes this process's workers of `name` now rather than at their next poll (a busy one looks again as soon as it is done). */
  wake(name: string): void {
    for (const id of this.workers.get(name) ?? []) this.boss.notifyWorker(id);
  }

  /** How many jobs of `name` are in each state (created, retry, active, completed, cancelled, failed). */
  async countByState(name: string): Promise<Record<string, number>> {
    const { rows } = await this.boss
      .getDb()
      .executeSql('SELECT state, count(*)::int AS count FROM pgboss.job WHERE name = $1 GROUP BY state', [name]);
    const counts: Record<string, number> = { created: 0, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 0 };
    for (const row of rows as Array<{ state: string; count: number }>) counts[row.state] = row.count;
    return counts;
  }

  /** Jobs of `name` in `state`, newest first. */
  async jobs(name: string, state: string, limit: number): Promise<JobRow[]> {
    const { rows }: { rows: unknown[] } = await this.boss.getDb().executeSql(
      `SELECT id, data, retry_count AS "retryCount", started_on AS "startedOn", output FROM pgboss.job
          WHERE name = $1 AND state = $2::pgboss.job_state ORDER BY created_on DESC LIMIT $3`,
      [name, state, limit],
    );
    return rows as JobRow[];
  }
}

const DEADLOCK_DETECTED = '40P01';

/**
 * Processes starting together on a fresh database create the same queues (and their tables) at
 * once, and PostgreSQL may end one creation as a deadlock victim. Its transaction rolled back, so
 * running it again is safe, and finds the queue the other process made.
 */
async function retryingDeadlocks<T>(action: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
