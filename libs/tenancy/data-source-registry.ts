import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * Keyed TypeORM DataSources (one per tenant database) under a global connection budget.
 *
 * - A key's DataSource is created once, however many callers ask for it at the same moment.
 * - The sum of the pool sizes of all DataSources (live, being created or draining) never exceeds
 *   `connectionBudget`. Room is made by destroying the least recently used DataSources that have
 *   no lease out; when none can go, callers wait (FIFO) up to `acquireTimeoutMs`.
 * - A DataSource with leases out is never destroyed: explicit eviction marks it draining and
 *   destroys it when the last lease is released, so no query or transaction is ever cut.
 * - DataSources idle longer than `idleTimeoutMs` are destroyed by a sweeper.
 */
export interface DataSourceRegistryOptions {
  connectionBudget: number;
  idleTimeoutMs: number;
  acquireTimeoutMs: number;
  sweepIntervalMs?: number;
  logger?: RegistryLogger;
}

export interface RegistryLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface DataSourceSpec {
  key: string;
  poolSize: number;
  /** Called only when a DataSource must be created; the registry sets `extra.max` to poolSize. */
  options: () => DataSourceOptions;
}

export interface DataSourceLease {
  readonly dataSource: DataSource;
  /** Idempotent. */
  release(): void;
}

export interface DataSourceRegistryStats {
  live: number;
  creating: number;
  draining: number;
  leasesInFlight: number;
  connectionsReserved: number;
  connectionBudget: number;
  creations: number;
  evictions: number;
  creationFailures: number;
  hits: number;
  misses: number;
  waits: number;
  budgetTimeouts: number;
}

export class ConnectionBudgetExhaustedError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`No room in the tenant connection budget for ${key} after waiting ${waitedMs} ms`);
    this.name = 'ConnectionBudgetExhaustedError';
  }
}

type EvictionReason = 'lru' | 'idle' | 'explicit' | 'close';

interface Entry {
  key: string;
  poolSize: number;
  state: 'creating' | 'live' | 'draining';
  ready: Promise<DataSource>;
  dataSource?: DataSource;
  leases: number;
  lastUsed: number;
  /** Resolves once a draining entry is destroyed. */
  destroyed?: Promise<void>;
  onDrained?: () => void;
  /** Set when its connections were already handed to the entry it made room for. */
  reservationHandedOver?: boolean;
}

interface Waiter {
  wake: () => void;
}

export class DataSourceRegistry {
  /** Map order is LRU order: least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private readonly draining = new Set<Entry>();
  private readonly waiters: Waiter[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private reserved = 0;
  private closed = false;
  private readonly counters = { creations: 0, evictions: 0, creationFailures: 0, hits: 0, misses: 0, waits: 0, budgetTimeouts: 0 };

  constructor(private readonly options: DataSourceRegistryOptions) {
    const interval = options.sweepIntervalMs ?? Math.max(1_000, Math.min(options.idleTimeoutMs / 2, 30_000));
    this.sweeper = setInterval(() => this.sweepIdle(), interval);
    this.sweeper.unref();
  }

  async acquire(spec: DataSourceSpec): Promise<DataSourceLease> {
    if (this.closed) throw new Error('DataSourceRegistry is closed');
    if (spec.poolSize > this.options.connectionBudget) {
      throw new Error(`Pool size ${spec.poolSize} of ${spec.key} exceeds the whole connection budget (${this.options.connectionBudget})`);
    }
    const started = Date.now();
    for (;;) {
      const entry = this.entries.get(spec.key);
      if (entry) {
        entry.leases += 1;
        this.touch(entry);
        if (entry.state === 'live') this.counters.hits += 1;
        try {
          return this.lease(entry, await entry.ready);
        } catch (error) {
          entry.leases -= 1;
          throw error;
        }
      }
      const drainingSameKey = [...this.draining].find((candidate) => candidate.key === spec.key);
      if (drainingSameKey) {
        await drainingSameKey.destroyed;
        continue;
      }
      const room = this.makeRoom(spec.poolSize);
      if (room) return this.create(spec, room);
      await this.waitForRoom(spec.key, started);
    }
  }

  /** Drains (waits for leases out) and destroys the DataSource of `key`, if any. */
  async evict(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    await entry.ready.catch(() => undefined);
    if (this.entries.get(key) === entry) await this.drain(entry, 'explicit');
  }

  stats(): DataSourceRegistryStats {
    let live = 0;
    let creating = 0;
    let leases = 0;
    for (const entry of [...this.entries.values(), ...this.draining]) {
      if (entry.state === 'live') live += 1;
      if (entry.state === 'creating') creating += 1;
      leases += entry.leases;
    }
    return {
      live,
      creating,
      draining: this.draining.size,
      leasesInFlight: leases,
      connectionsReserved: this.reserved,
      connectionBudget: this.options.connectionBudget,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const entries = [...this.entries.values()];
    await Promise.all(entries.map(async (entry) => {
      await entry.ready.catch(() => undefined);
      if (this.entries.get(entry.key) === entry) await this.drain(entry, 'close');
    }));
    await Promise.all([...this.draining].map((entry) => entry.destroyed));
    for (const waiter of this.waiters.splice(0)) waiter.wake();
  }

  /** `room` resolves once the DataSources evicted to make room are closed: only then are new connections opened. */
  private create(spec: DataSourceSpec, room: Promise<void>): Promise<DataSourceLease> {
    this.counters.misses += 1;
    this.reserved += spec.poolSize;
    const entry: Entry = { key: spec.key, poolSize: spec.poolSize, state: 'creating', leases: 1, lastUsed: Date.now(), ready: Promise.resolve(undefined as never) };
    entry.ready = (async () => {
      await room;
      const options = spec.options();
      const dataSource = new DataSource({ ...options, extra: { ...(options.extra as object), max: spec.poolSize } } as DataSourceOptions);
      await dataSource.initialize();
      return dataSource;
    })();
    this.entries.set(spec.key, entry);
    return entry.ready.then(
      (dataSource) => {
        entry.dataSource = dataSource;
        entry.state = 'live';
        this.counters.creations += 1;
        this.options.logger?.log(`Opened tenant DataSource ${spec.key} (pool ${spec.poolSize}; ${this.reserved}/${this.options.connectionBudget} connections reserved)`);
        return this.lease(entry, dataSource);
      },
      (error: unknown) => {
        this.entries.delete(spec.key);
        this.reserved -= spec.poolSize;
        this.counters.creationFailures += 1;
        this.options.logger?.warn(`Opening tenant DataSource ${spec.key} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.wakeWaiters();
        throw error;
      },
    );
  }

  private lease(entry: Entry, dataSource: DataSource): DataSourceLease {
    let released = false;
    return {
      dataSource,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        entry.lastUsed = Date.now();
        if (entry.leases === 0) {
          if (entry.state === 'draining') entry.onDrained?.();
          else this.wakeWaiters();
        }
      },
    };
  }

  /**
   * Evicts idle entries, least recently used first, until `poolSize` more connections fit.
   * Their reservations pass to the caller at once (so nobody else takes the room); the returned
   * promise says when their connections are closed. Null when no room can be made.
   */
  private makeRoom(poolSize: number): Promise<void> | null {
    const budget = this.options.connectionBudget;
    if (this.reserved + poolSize <= budget) return Promise.resolve();
    let freeable = 0;
    for (const entry of this.entries.values()) if (this.isIdle(entry)) freeable += entry.poolSize;
    if (this.reserved - freeable + poolSize > budget) return null;
    const closing: Promise<void>[] = [];
    for (const entry of [...this.entries.values()]) {
      if (this.reserved + poolSize <= budget) break;
      if (!this.isIdle(entry)) continue;
      this.reserved -= entry.poolSize;
      entry.reservationHandedOver = true;
      closing.push(this.drain(entry, 'lru'));
    }
    return Promise.all(closing).then(() => undefined);
  }

  private isIdle(entry: Entry): boolean {
    return entry.state === 'live' && entry.leases === 0;
  }

  /**
   * Takes the entry out of service at once, then destroys it when its last lease is released.
   * Its connections stay counted in the budget until they are really closed.
   */
  private drain(entry: Entry, reason: EvictionReason): Promise<void> {
    this.entries.delete(entry.key);
    entry.state = 'draining';
    this.draining.add(entry);
    entry.destroyed = (async () => {
      if (entry.leases > 0) await new Promise<void>((resolve) => (entry.onDrained = resolve));
      await entry.dataSource?.destroy().catch((error: unknown) => this.options.logger?.warn(`Closing ${entry.key} failed: ${String(error)}`));
      this.draining.delete(entry);
      if (!entry.reservationHandedOver) this.reserved -= entry.poolSize;
      this.counters.evictions += 1;
      this.options.logger?.log(`Closed tenant DataSource ${entry.key} (${reason}; ${this.reserved}/${this.options.connectionBudget} connections reserved)`);
      this.wakeWaiters();
    })();
    return entry.destroyed;
  }

  private sweepIdle(): void {
    const threshold = Date.now() - this.options.idleTimeoutMs;
    for (const entry of [...this.entries.values()]) {
      if (this.isIdle(entry) && entry.lastUsed <= threshold) void this.drain(entry, 'idle');
    }
  }

  private touch(entry: Entry): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  private waitForRoom(key: string, started: number): Promise<void> {
    const remaining = this.options.acquireTimeoutMs - (Date.now() - started);
    if (remaining <= 0) {
      this.counters.budgetTimeouts += 1;
      return Promise.reject(new ConnectionBudgetExhaustedError(key, Date.now() - started));
    }
    this.counters.waits += 1;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        this.counters.budgetTimeouts += 1;
        reject(new ConnectionBudgetExhaustedError(key, Date.now() - started));
      }, remaining);
      this.waiters.push(waiter);
    });
  }

  /** Every waiter re-checks; those that still find no room wait again in their turn. */
  private wakeWaiters(): void {
    for (const waiter of this.waiters.splice(0)) waiter.wake();
  }
}
