import { DataSource, DataSourceOptions } from 'typeorm';
import { ConnectionBudget, ConnectionBudgetExhaustedError } from './connection-budget';
import { watchConnection } from './sound-connections';

export { ConnectionBudgetExhaustedError };

/**
 * Keyed connection pools under a global connection budget: TypeORM DataSources (one pg pool per
 * tenant database), and any other pool the process opens (a byod tenant's own database), so every
 * connection the process holds is counted in one place and idle ones are closed alike.
 *
 *   const registry = new DataSourceRegistry({ connectionBudget, idleTimeoutMs, acquireTimeoutMs, logger });
 *   const lease = await registry.acquire({ key, poolSize, options: () => dataSourceOptions });
 *   try { await lease.dataSource.query(...) } finally { lease.release() }
 *   const other = await registry.acquirePool({ key, poolSize, open: async () => pool }); // pool.destroy() closes it
 *
 * Below, "DataSource" stands for any pool the registry holds.
 * - Single flight: a key's DataSource is created once however many callers ask at the same
 *   moment; they all await the same creation. `options()` (`open()`) is only called for a
 *   creation, so credentials are decrypted only then. The registry sets `extra.max = poolSize` (pg pools)
 *   and `extra.onConnect` (sound-connections.ts).
 * - Budget: the pool sizes of all live, creating and draining DataSources add up to at most
 *   `connectionBudget` (a pool's connections count until it is really closed). Room is made by
 *   destroying least recently used DataSources with no lease out; when none can go, the caller
 *   waits in a FIFO queue up to `acquireTimeoutMs`, then gets ConnectionBudgetExhaustedError.
 *   `acquireTimeoutMs` bounds only that wait, not connecting or waiting for an eviction.
 * - A DataSource with leases out is never destroyed, so no query or transaction is cut:
 *   eviction takes it out of service at once and destroys it when the last lease is released.
 * - `evict(key)`: later acquires of the key get a fresh DataSource at once (budget permitting), never
 *   waiting for the old one's leases: one long transaction on an evicted DataSource (a restore, a
 *   sync run) must not hold up every other caller of its key. The old one is destroyed once its
 *   last lease is released, its connections counted in the budget until then. Callers that were
 *   already waiting for its creation still get it (they were in flight before the eviction), and
 *   the eviction waits for them too.
 * - DataSources with no lease, unused for `idleTimeoutMs`, are destroyed by an unref'd sweeper.
 * - A failed creation rejects all its waiters, frees its reservation and leaves nothing behind.
 * - `close()` stops everything: waits for leases out, destroys all; later acquires reject.
 * - Per-server caps: a DataSource whose spec names a `server` also counts against that server's
 *   cap, if `setServerLimits` gave it one (an uncapped server is limited only by the budget). A
 *   caller first waits for room on its server (idle DataSources of that server only are evicted
 *   for it), then in the global budget; `acquireTimeoutMs` bounds both waits together. A waiter
 *   at its server's cap does not hold up callers for other servers. Raising a cap lets waiters in
 *   at once; lowering one closes nothing in use, it only grants nothing more until below it.
 * - Every connection a pool opens is watched (sound-connections.ts): an error on it can never go
 *   unhandled, and after a lost connection only connections opened since are handed out.
 *
 * The pool size of a key is the one given when its DataSource was created; a different poolSize
 * in later specs applies from the next creation. Logs name keys and reasons, never options.
 */
export interface DataSourceRegistryOptions {
  /** Upper bound on the sum of the pool sizes of all DataSources. */
  connectionBudget: number;
  /** A DataSource with no lease, unused this long, is destroyed. */
  idleTimeoutMs: number;
  /** Longest wait for room in the budget before ConnectionBudgetExhaustedError (0: fail at once). */
  acquireTimeoutMs: number;
  /** How often idle DataSources are looked for; default idleTimeoutMs / 2, between 1 s and 30 s. */
  sweepIntervalMs?: number;
  logger?: RegistryLogger;
}

export interface RegistryLogger {
  log(message: string): void;
  warn(message: string): void;
}

interface SpecOfAnyPool {
  key: string;
  /** Connections this pool may open; must fit in the whole budget. */
  poolSize: number;
  /** The database server it connects to, for that server's cap (see setServerLimits). */
  server?: string;
}

export interface DataSourceSpec extends SpecOfAnyPool {
  /** Called only when a DataSource must be created; the registry sets `extra.max` to poolSize. */
  options: () => DataSourceOptions;
}

/** A pool other than a TypeORM DataSource: whatever it is, `destroy()` closes all its connections. */
export interface RegisteredPool {
  destroy(): Promise<void>;
}

export interface PoolSpec<T extends RegisteredPool> extends SpecOfAnyPool {
  /** Called only when the pool must be created; it must open at most `poolSize` connections. */
  open: () => Promise<T>;
}

export interface PoolLease<T extends RegisteredPool> {
  readonly pool: T;
  /** Gives the pool back; idempotent. */
  release(): void;
}

/** One server's share of the connections, in stats(). */
export interface ServerConnectionStats {
  connectionsReserved: number;
  /** Its cap; null when it has none. */
  connectionLimit: number | null;
  waits: number;
  budgetTimeouts: number;
}

export interface DataSourceLease {
  readonly dataSource: DataSource;
  /** Gives the DataSource back; idempotent. */
  release(): void;
}

export interface DataSourceRegistryStats {
  /** DataSources in service. */
  live: number;
  /** Creations under way, including those waiting for room in the budget. */
  creating: number;
  /** Evicted DataSources waiting for their leases or being destroyed. */
  draining: number;
  leasesInFlight: number;
  connectionsReserved: number;
  connectionBudget: number;
  /** DataSources created (initialized) successfully. */
  creations: number;
  /** DataSources destroyed, whatever the reason. */
  evictions: number;
  /** DataSources whose initialization failed. */
  creationFailures: number;
  /** Acquires served by a live DataSource. */
  hits: number;
  /** Acquires that started or joined a creation. */
  misses: number;
  /** Reservations that had to queue for room in the budget. */
  waits: number;
  /** Reservations that gave up after acquireTimeoutMs. */
  budgetTimeouts: number;
  /** Per server that has a cap or had a DataSource. */
  servers: Record<string, ServerConnectionStats>;
}

export class DataSourceRegistryClosedError extends Error {
  constructor() {
    super('The DataSource registry is closed');
    this.name = 'DataSourceRegistryClosedError';
  }
}

export type EvictionReason = 'lru' | 'idle' | 'explicit' | 'shutdown';

interface Entry {
  key: string;
  poolSize: number;
  server?: string;
  state: 'creating' | 'live' | 'draining';
  /** Settles when the creation does; rejects with its error. */
  ready: Promise<RegisteredPool>;
  pool?: RegisteredPool;
  leases: number;
  /** Callers awaiting the creation; they become leases the moment it succeeds. */
  awaitingCreation: number;
  /** Whether the entry holds connections in the budget. */
  reserved: boolean;
  lastUsedAt: number;
  /** Set once evicted; resolves when destroyed. */
  destroyed?: Promise<void>;
  onLastRelease?: () => void;
}

export class DataSourceRegistry {
  /** Entries in service or being created. Map order is LRU order: least recently used first. */
  private readonly entries = new Map<string, Entry>();
  /** Out of service, destroyed once their last lease is released; a key may have several. */
  private readonly draining = new Set<Entry>();
  private readonly budget: ConnectionBudget;
  /** One budget per server that has a cap or had a DataSource; Infinity where the server has no cap. */
  private readonly serverBudgets = new Map<string, ConnectionBudget>();
  private serverLimits: ReadonlyMap<string, number> = new Map();
  private readonly sweeper: NodeJS.Timeout;
  private closing?: Promise<void>;
  private readonly counters = { creations: 0, evictions: 0, creationFailures: 0, hits: 0, misses: 0 };

  constructor(private readonly options: DataSourceRegistryOptions) {
    requirePositive('connectionBudget', options.connectionBudget);
    requirePositive('idleTimeoutMs', options.idleTimeoutMs);
    if (!(options.acquireTimeoutMs >= 0))
      throw new RangeError(`DataSourceRegistry option acquireTimeoutMs must be 0 or more, got ${options.acquireTimeoutMs}`);
    this.budget = new ConnectionBudget(options.connectionBudget, options.acquireTimeoutMs, (shortfall) => this.makeRoom(shortfall));
    const sweepIntervalMs = options.sweepIntervalMs ?? Math.min(Math.max(options.idleTimeoutMs / 2, 1_000), 30_000);
    this.sweeper = setInterval(() => this.sweepIdle(), sweepIntervalMs);
    this.sweeper.unref();
  }

  async acquire(spec: DataSourceSpec): Promise<DataSourceLease> {
    const lease = await this.acquirePool({
      key: spec.key,
      poolSize: spec.poolSize,
      server: spec.server,
      open: () => openDataSource(spec.options(), spec.poolSize),
    });
    return { dataSource: lease.pool, release: () => lease.release() };
  }

  /** Like acquire, for a pool that is not a DataSource; a key always names the same kind of pool. */
  async acquirePool<T extends RegisteredPool>(spec: PoolSpec<T>): Promise<PoolLease<T>> {
    if (!Number.isInteger(spec.poolSize) || spec.poolSize < 1) {
      throw new RangeError(`Pool size of "${spec.key}" must be a positive integer, got ${spec.poolSize}`);
    }
    if (spec.poolSize > this.options.connectionBudget) {
      throw new RangeError(
        `Pool size ${spec.poolSize} of "${spec.key}" exceeds the whole connection budget (${this.options.connectionBudget})`,
      );
    }
    if (this.closing) throw new DataSourceRegistryClosedError();
    const entry = this.entries.get(spec.key);
    if (entry?.state === 'live') {
      this.counters.hits += 1;
      this.touch(entry);
      entry.leases += 1;
      return this.leaseOf(entry, entry.pool as T);
    }
    this.counters.misses += 1;
    const creating = entry ?? this.startCreation(spec);
    creating.awaitingCreation += 1;
    return this.leaseOf(creating, (await creating.ready) as T);
  }

  /** Takes `key` out of service at once; resolves when every DataSource of the key evicted so far is destroyed. */
  evict(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry) void this.drain(entry, 'explicit');
    // drain() of an entry already draining only hands back its `destroyed`.
    const destroyed = [...this.draining].filter((draining) => draining.key === key).map((draining) => this.drain(draining, 'explicit'));
    return Promise.all(destroyed).then(() => undefined);
  }

  /** evict() of every key `matches` says yes to; resolves when all their DataSources are destroyed. */
  evictMatching(matches: (key: string) => boolean): Promise<void> {
    const keys = new Set([...this.entries.keys(), ...[...this.draining].map((entry) => entry.key)].filter(matches));
    return Promise.all([...keys].map((key) => this.evict(key))).then(() => undefined);
  }

  /**
   * Caps on the connections of the DataSources of each server (by `DataSourceSpec.server`);
   * servers not in `limits` are uncapped. Replaces the previous caps.
   */
  setServerLimits(limits: ReadonlyMap<string, number>): void {
    for (const [server, limit] of limits) requirePositive(`server limit of "${server}"`, limit);
    this.serverLimits = new Map(limits);
    for (const server of limits.keys()) this.serverBudgetOf(server); // so stats() shows every cap, used or not
    for (const [server, budget] of this.serverBudgets) budget.setLimit(this.serverLimits.get(server) ?? Infinity);
  }

  stats(): DataSourceRegistryStats {
    let live = 0;
    let creating = 0;
    let leasesInFlight = 0;
    for (const entry of this.entries.values()) {
      if (entry.state === 'live') live += 1;
      else creating += 1;
      leasesInFlight += entry.leases;
    }
    for (const entry of this.draining.values()) leasesInFlight += entry.leases;
    return {
      live,
      creating,
      draining: this.draining.size,
      leasesInFlight,
      connectionsReserved: this.budget.reserved,
      connectionBudget: this.options.connectionBudget,
      ...this.counters,
      waits: this.budget.waits,
      budgetTimeouts: this.budget.timeouts,
      servers: Object.fromEntries(
        [...this.serverBudgets].map(([server, budget]) => [
          server,
          {
            connectionsReserved: budget.reserved,
            connectionLimit: Number.isFinite(budget.limit) ? budget.limit : null,
            waits: budget.waits,
            budgetTimeouts: budget.timeouts,
          },
        ]),
      ),
    };
  }

  /** Stops the sweeper, waits for leases out, destroys every DataSource. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      clearInterval(this.sweeper);
      this.budget.rejectAll(new DataSourceRegistryClosedError());
      for (const budget of this.serverBudgets.values()) budget.rejectAll(new DataSourceRegistryClosedError());
      const all = [...this.entries.values(), ...this.draining];
      this.closing = Promise.all(all.map((entry) => this.drain(entry, 'shutdown'))).then(() => undefined);
    }
    return this.closing;
  }

  private startCreation(spec: PoolSpec<RegisteredPool>): Entry {
    const entry: Entry = {
      key: spec.key,
      poolSize: spec.poolSize,
      server: spec.server,
      state: 'creating',
      ready: Promise.resolve(undefined as never),
      leases: 0,
      awaitingCreation: 0,
      reserved: false,
      lastUsedAt: Date.now(),
    };
    this.entries.set(spec.key, entry);
    entry.ready = this.create(entry, spec);
    // Awaited by every caller; this only keeps a rejection nobody awaits any more from being "unhandled".
    entry.ready.catch(() => undefined);
    return entry;
  }

  private async create(entry: Entry, spec: PoolSpec<RegisteredPool>): Promise<RegisteredPool> {
    await this.reserve(entry);
    entry.reserved = true;
    let pool: RegisteredPool;
    try {
      pool = await spec.open();
    } catch (error) {
      this.forget(entry);
      entry.reserved = false;
      this.free(entry);
      this.counters.creationFailures += 1;
      this.options.logger?.warn(`Creating pool "${entry.key}" failed: ${describeError(error)}`);
      throw error;
    }
    this.counters.creations += 1;
    entry.pool = pool;
    // In the same tick as the creation settles, so no eviction can slip between it and its callers.
    entry.leases += entry.awaitingCreation;
    entry.awaitingCreation = 0;
    entry.lastUsedAt = Date.now();
    if (entry.state === 'creating') entry.state = 'live';
    this.options.logger?.log(
      `Created pool "${entry.key}" (${entry.poolSize} connections; ${this.budget.reserved}/${this.options.connectionBudget} reserved)`,
    );
    return pool;
  }

  private leaseOf<T extends RegisteredPool>(entry: Entry, pool: T): PoolLease<T> {
    let released = false;
    return {
      pool,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        entry.lastUsedAt = Date.now();
        if (entry.leases > 0) return;
        if (entry.state === 'draining') entry.onLastRelease?.();
        else {
          // It can now be evicted for a waiting caller.
          this.budget.retry();
          if (entry.server !== undefined) this.serverBudgets.get(entry.server)?.retry();
        }
      },
    };
  }

  /**
   * Takes the entry out of service at once and destroys it after its creation settled and its
   * last lease was released. Its connections stay reserved until the pool is really closed.
   */
  private drain(entry: Entry, reason: EvictionReason): Promise<void> {
    if (entry.destroyed) return entry.destroyed;
    this.forget(entry);
    entry.state = 'draining';
    this.draining.add(entry);
    entry.destroyed = this.destroyWhenReleased(entry, reason);
    return entry.destroyed;
  }

  private async destroyWhenReleased(entry: Entry, reason: EvictionReason): Promise<void> {
    try {
      const pool = await entry.ready.catch(() => undefined);
      if (!pool) return; // the creation failed and cleaned up after itself
      if (entry.leases > 0) await new Promise<void>((resolve) => (entry.onLastRelease = resolve));
      await pool
        .destroy()
        .catch((error: unknown) => this.options.logger?.warn(`Destroying pool "${entry.key}" failed: ${describeError(error)}`));
      this.counters.evictions += 1;
      this.options.logger?.log(`Evicted pool "${entry.key}" (${reason})`);
    } finally {
      this.draining.delete(entry);
      if (entry.reserved) {
        entry.reserved = false;
        this.free(entry);
      }
    }
  }

  /**
   * Reserves the entry's connections on its server, then in the global budget, within
   * acquireTimeoutMs in all. On failure nothing stays reserved and the entry is forgotten.
   */
  private async reserve(entry: Entry): Promise<void> {
    const started = Date.now();
    const serverBudget = entry.server === undefined ? undefined : this.serverBudgetOf(entry.server);
    try {
      await serverBudget?.reserve(entry.key, entry.poolSize);
    } catch (error) {
      this.forget(entry);
      throw error;
    }
    try {
      await this.budget.reserve(entry.key, entry.poolSize, Math.max(0, this.options.acquireTimeoutMs - (Date.now() - started)));
    } catch (error) {
      this.forget(entry);
      serverBudget?.free(entry.poolSize);
      throw error;
    }
  }

  private free(entry: Entry): void {
    this.budget.free(entry.poolSize);
    if (entry.server !== undefined) this.serverBudgets.get(entry.server)?.free(entry.poolSize);
  }

  private serverBudgetOf(server: string): ConnectionBudget {
    let budget = this.serverBudgets.get(server);
    if (!budget) {
      const limit = this.serverLimits.get(server) ?? Infinity;
      budget = new ConnectionBudget(limit, this.options.acquireTimeoutMs, (shortfall) => this.makeRoom(shortfall, server));
      this.serverBudgets.set(server, budget);
    }
    return budget;
  }

  /**
   * Called by a budget when its next waiter is `shortfall` connections short (for a server's
   * budget, only that server's pools count). Connections of pools already being destroyed will
   * come back by themselves; beyond those, idle pools are evicted least recently used first, and
   * only if that makes enough room (no pool is closed for nothing).
   */
  private makeRoom(shortfall: number, server?: string): void {
    const counts = (entry: Entry) => server === undefined || entry.server === server;
    let comingBack = 0;
    for (const entry of this.draining.values()) if (entry.reserved && entry.leases === 0 && counts(entry)) comingBack += entry.poolSize;
    let missing = shortfall - comingBack;
    if (missing <= 0) return;
    const victims: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (missing <= 0) break;
      if (entry.state !== 'live' || entry.leases > 0 || !counts(entry)) continue;
      victims.push(entry);
      missing -= entry.poolSize;
    }
    if (missing > 0) return;
    for (const victim of victims) void this.drain(victim, 'lru');
  }

  private sweepIdle(): void {
    const unusedSince = Date.now() - this.options.idleTimeoutMs;
    for (const entry of [...this.entries.values()]) {
      if (entry.state === 'live' && entry.leases === 0 && entry.lastUsedAt <= unusedSince) void this.drain(entry, 'idle');
    }
  }

  private touch(entry: Entry): void {
    entry.lastUsedAt = Date.now();
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  private forget(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }
}

/** The registry sets the pg pool's size and watches every connection it opens (sound-connections.ts). */
async function openDataSource(options: DataSourceOptions, poolSize: number): Promise<DataSource> {
  const extra = { ...(options.extra as object | undefined), max: poolSize, onConnect: watchConnection };
  const dataSource = new DataSource({ ...options, extra });
  try {
    await dataSource.initialize();
  } catch (error) {
    // A pool that got as far as connecting must not linger (TypeORM only cleans up later failures).
    if (!dataSource.isInitialized) await dataSource.driver.disconnect().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

function requirePositive(name: string, value: number): void {
  if (!(value > 0)) throw new RangeError(`DataSourceRegistry option ${name} must be positive, got ${value}`);
}

/** An error's name and message only: driver errors may carry connection details in other fields. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
