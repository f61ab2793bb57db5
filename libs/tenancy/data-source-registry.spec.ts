import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import {
  ConnectionBudgetExhaustedError,
  DataSourceLease,
  DataSourceRegistry,
  DataSourceRegistryClosedError,
  DataSourceRegistryOptions,
  DataSourceSpec,
} from './data-source-registry';

/**
 * Against a real PostgreSQL server (test/support/global-setup.ts): every key's connections carry
 * its own application_name, so pg_stat_activity shows what each pool really holds open.
 */
const adminUrl = process.env.TENANTRY_TEST_ADMIN_URL ?? '';
const run = randomBytes(4).toString('hex');
const database = (suffix: string) => `reg_spec_${run}_${suffix}`;
const [dbA, dbB, dbC] = ['a', 'b', 'c'].map(database);
const applicationName = (key: string) => `regspec_${run}_${key}`;

let admin: Client;
let logs: string[];
let registries: DataSourceRegistry[];
let leases: DataSourceLease[];
let watchers: ConnectionWatcher[];

function urlOf(databaseName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

function spec(key: string, databaseName: string, poolSize: number, onOptions?: () => void): DataSourceSpec {
  return {
    key,
    poolSize,
    options: () => {
      onOptions?.();
      return { type: 'postgres', url: urlOf(databaseName), applicationName: applicationName(key), connectTimeoutMS: 5_000 };
    },
  };
}

function newRegistry(options: Partial<DataSourceRegistryOptions> = {}): DataSourceRegistry {
  const logger = { log: (message: string) => logs.push(`log ${message}`), warn: (message: string) => logs.push(`warn ${message}`) };
  const registry = new DataSourceRegistry({ connectionBudget: 10, idleTimeoutMs: 60_000, acquireTimeoutMs: 2_000, logger, ...options });
  registries.push(registry);
  return registry;
}

/** Acquires and remembers the lease, so a failing test cannot leave close() waiting for it. */
async function acquire(registry: DataSourceRegistry, dataSourceSpec: DataSourceSpec): Promise<DataSourceLease> {
  const lease = await registry.acquire(dataSourceSpec);
  leases.push(lease);
  return lease;
}

/** Runs `count` overlapping queries so the pool really opens `count` connections. */
async function openConnections(dataSource: DataSource, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => dataSource.query('SELECT pg_sleep(0.05)')));
}

/** Open connections per key, for the keys starting with `keyPrefix`. */
async function connectionsByKey(keyPrefix: string): Promise<Record<string, number>> {
  const prefix = applicationName(keyPrefix);
  const { rows } = await admin.query<{ application_name: string; count: number }>(
    'SELECT application_name, count(*)::int AS count FROM pg_stat_activity WHERE starts_with(application_name, $1) GROUP BY 1',
    [prefix],
  );
  return Object.fromEntries(rows.map((row) => [row.application_name.slice(applicationName('').length), row.count]));
}

async function connectionCount(keyPrefix: string): Promise<number> {
  return Object.values(await connectionsByKey(keyPrefix)).reduce((sum, count) => sum + count, 0);
}

/**
 * A closed client's backend leaves pg_stat_activity a moment after the socket closes, so after
 * an eviction poll (briefly) until the expected picture appears; returns what was last seen.
 */
async function settledConnectionsByKey(
  keyPrefix: string,
  expected: Record<string, number>,
  timeoutMs = 3_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let seen = await connectionsByKey(keyPrefix);
  const canonical = (counts: Record<string, number>) => JSON.stringify(Object.entries(counts).sort());
  while (canonical(seen) !== canonical(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await connectionsByKey(keyPrefix);
  }
  return seen;
}

interface ConnectionWatcher {
  /** Stops polling; the most connections seen at once. */
  stop(): Promise<number>;
}

/** Polls pg_stat_activity in the background and remembers the most connections seen at once. */
function watchConnections(keyPrefix: string): ConnectionWatcher {
  let most = 0;
  let watching = true;
  const polling = (async () => {
    while (watching) {
      most = Math.max(most, await connectionCount(keyPrefix));
      await sleep(5);
    }
  })();
  const watcher = {
    stop: async () => {
      watching = false;
      await polling;
      return most;
    },
  };
  watchers.push(watcher);
  return watcher;
}

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

function settledFlag(promise: Promise<unknown>): { settled: boolean } {
  const flag = { settled: false };
  promise.then(
    () => (flag.settled = true),
    () => (flag.settled = true),
  );
  return flag;
}

beforeAll(async () => {
  if (!adminUrl) throw new Error('TENANTRY_TEST_ADMIN_URL is not set; run through jest.config.js (globalSetup)');
  admin = new Client({ connectionString: adminUrl, application_name: `regspec_admin_${run}` });
  await admin.connect();
  for (const name of [dbA, dbB, dbC]) await admin.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  const tenantDb = new Client({ connectionString: urlOf(dbA) });
  await tenantDb.connect();
  await tenantDb.query('CREATE TABLE reg_rows (id serial PRIMARY KEY, note text NOT NULL)');
  await tenantDb.end();
}, 30_000);

afterAll(async () => {
  if (!admin) return;
  for (const name of [dbA, dbB, dbC]) await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
}, 30_000);

beforeEach(() => {
  logs = [];
  registries = [];
  leases = [];
  watchers = [];
});

afterEach(async () => {
  // A failed expectation may have skipped a watcher's stop(); it must not outlive the admin client.
  await Promise.allSettled(watchers.map((watcher) => watcher.stop()));
  for (const lease of leases) lease.release();
  await Promise.all(registries.map((registry) => registry.close()));
});

describe('DataSourceRegistry', () => {
  it('creates one DataSource for 100 concurrent acquires of a cold key', async () => {
    const registry = newRegistry();
    let optionsBuilt = 0;
    const flight = spec('flight', dbA, 3, () => (optionsBuilt += 1));

    const all = await Promise.all(Array.from({ length: 100 }, () => acquire(registry, flight)));

    expect(optionsBuilt).toBe(1);
    expect(new Set(all.map((lease) => lease.dataSource)).size).toBe(1);
    expect(registry.stats()).toMatchObject({
      live: 1,
      creating: 0,
      creations: 1,
      misses: 100,
      hits: 0,
      leasesInFlight: 100,
      connectionsReserved: 3,
    });
    await Promise.all(all.map((lease) => lease.dataSource.query('SELECT pg_sleep(0.01)')));
    expect(await connectionsByKey('flight')).toEqual({ flight: 3 });

    for (const lease of all) lease.release();
    const again = await acquire(registry, flight);
    expect(again.dataSource).toBe(all[0].dataSource);
    expect(registry.stats()).toMatchObject({ creations: 1, hits: 1, leasesInFlight: 1 });
    expect(logs.filter((line) => line.includes('Created pool "flight"'))).toHaveLength(1);
  }, 10_000);

  it('evicts the least recently used idle DataSource to stay within the connection budget', async () => {
    const registry = newRegistry({ connectionBudget: 4 });
    const watcher = watchConnections('lru-');
    const use = async (dataSourceSpec: DataSourceSpec) => {
      const lease = await acquire(registry, dataSourceSpec);
      await openConnections(lease.dataSource, 2);
      lease.release();
      return lease.dataSource;
    };

    const a = await use(spec('lru-a', dbA, 2));
    const b = await use(spec('lru-b', dbB, 2));
    expect(await connectionsByKey('lru-')).toEqual({ 'lru-a': 2, 'lru-b': 2 });
    await use(spec('lru-a', dbA, 2)); // a is now more recently used than b
    const c = await use(spec('lru-c', dbC, 2));

    expect(b.isInitialized).toBe(false);
    expect(a.isInitialized).toBe(true);
    expect(c.isInitialized).toBe(true);
    expect(registry.stats()).toMatchObject({ live: 2, draining: 0, evictions: 1, connectionsReserved: 4, connectionBudget: 4 });
    expect(await settledConnectionsByKey('lru-', { 'lru-a': 2, 'lru-c': 2 })).toEqual({ 'lru-a': 2, 'lru-c': 2 });
    expect(await watcher.stop()).toBeLessThanOrEqual(4);
    expect(logs).toContain('log Evicted pool "lru-b" (lru)');
  }, 10_000);

  it('never evicts a DataSource in use: a caller waits for a release, or times out', async () => {
    const registry = newRegistry({ connectionBudget: 4, acquireTimeoutMs: 400 });
    const a = await acquire(registry, spec('busy-a', dbA, 2));
    const b = await acquire(registry, spec('busy-b', dbB, 2));
    await Promise.all([openConnections(a.dataSource, 2), openConnections(b.dataSource, 2)]);

    const waitingForC = acquire(registry, spec('busy-c', dbC, 2));
    const c = settledFlag(waitingForC);
    await sleep(150);
    expect(c.settled).toBe(false);
    expect(a.dataSource.isInitialized && b.dataSource.isInitialized).toBe(true);
    expect(registry.stats()).toMatchObject({ waits: 1, creating: 1, connectionsReserved: 4 });

    a.release();
    const leaseC = await waitingForC;
    expect(a.dataSource.isInitialized).toBe(false);
    expect(b.dataSource.isInitialized).toBe(true);
    await openConnections(leaseC.dataSource, 2);
    expect(await connectionCount('busy-')).toBe(4);

    // Both remaining DataSources are leased: nothing can be evicted.
    const started = Date.now();
    await expect(registry.acquire(spec('busy-a', dbA, 2))).rejects.toBeInstanceOf(ConnectionBudgetExhaustedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(b.dataSource.isInitialized && leaseC.dataSource.isInitialized).toBe(true);
    await expect(b.dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
    expect(registry.stats()).toMatchObject({ live: 2, creating: 0, leasesInFlight: 2, budgetTimeouts: 1, connectionsReserved: 4 });
  }, 10_000);

  it('rejects a pool size larger than the whole budget', async () => {
    const registry = newRegistry({ connectionBudget: 4 });
    await expect(registry.acquire(spec('too-big', dbA, 5))).rejects.toThrow(/exceeds the whole connection budget/);
    expect(registry.stats()).toMatchObject({ creating: 0, connectionsReserved: 0 });
  });

  it('evict() lets a running transaction commit, then destroys the DataSource, while a later caller gets a fresh one at once', async () => {
    const registry = newRegistry();
    const evictTx = spec('evict-tx', dbA, 2);
    const lease = await acquire(registry, evictTx);
    const dataSource = lease.dataSource;
    const note = `evict-${run}`;
    const events: string[] = [];

    const work = (async () => {
      try {
        await dataSource.transaction(async (manager) => {
          await manager.query('SELECT pg_sleep(0.3)');
          await manager.query('INSERT INTO reg_rows (note) VALUES ($1)', [note]);
        });
        events.push(`committed (initialized: ${dataSource.isInitialized})`);
      } finally {
        lease.release();
      }
    })();
    await sleep(50); // the transaction is under way
    const evicted = registry.evict('evict-tx').then(() => events.push('evicted'));
    expect(registry.stats()).toMatchObject({ live: 0, draining: 1, leasesInFlight: 1 });
    const fresh = await acquire(registry, evictTx);
    events.push('reacquired');
    expect(await fresh.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(registry.stats()).toMatchObject({ live: 1, draining: 1, connectionsReserved: 4 });

    await Promise.all([work, evicted]);
    expect(events).toEqual(['reacquired', 'committed (initialized: true)', 'evicted']);
    expect(dataSource.isInitialized).toBe(false);
    expect(fresh.dataSource).not.toBe(dataSource);
    expect(fresh.dataSource.isInitialized).toBe(true);
    const rows = await fresh.dataSource.query('SELECT count(*)::int AS count FROM reg_rows WHERE note = $1', [note]);
    expect(rows).toEqual([{ count: 1 }]);
    expect(registry.stats()).toMatchObject({ live: 1, draining: 0, creations: 2, evictions: 1, connectionsReserved: 2 });
    expect(logs).toContain('log Evicted pool "evict-tx" (explicit)');
  }, 10_000);

  it('evicting a key again while its first DataSource drains drains the second too, and waits for both', async () => {
    const registry = newRegistry();
    const key = spec('evict-twice', dbA, 1);
    const first = await acquire(registry, key);
    void registry.evict('evict-twice');
    const second = await acquire(registry, key);
    let bothDestroyed = false;
    const evicted = registry.evict('evict-twice').then(() => (bothDestroyed = true));
    expect(registry.stats()).toMatchObject({ live: 0, draining: 2, leasesInFlight: 2 });
    second.release();
    await sleep(50);
    expect(bothDestroyed).toBe(false);
    first.release();
    await evicted;
    expect([first.dataSource.isInitialized, second.dataSource.isInitialized]).toEqual([false, false]);
    expect(registry.stats()).toMatchObject({ live: 0, draining: 0, evictions: 2, connectionsReserved: 0 });
  }, 10_000);

  it('evictMatching() evicts every key it matches, live or draining, and leaves the others in service', async () => {
    const registry = newRegistry();
    const [first, second, other] = await Promise.all(
      [spec('match-a@1', dbA, 1), spec('match-a@2', dbB, 1), spec('match-b@1', dbA, 1)].map((each) => acquire(registry, each)),
    );
    [first, second, other].forEach((lease) => lease.release());
    await registry.evictMatching((key) => key.startsWith('match-a@'));
    expect([first.dataSource.isInitialized, second.dataSource.isInitialized, other.dataSource.isInitialized]).toEqual([false, false, true]);
    expect(registry.stats()).toMatchObject({ live: 1, draining: 0, evictions: 2 });
  }, 10_000);

  it('destroys a DataSource idle longer than idleTimeoutMs, but not one in use', async () => {
    const registry = newRegistry({ idleTimeoutMs: 200, sweepIntervalMs: 50 });
    const idle = await acquire(registry, spec('idle-unused', dbA, 1));
    await idle.dataSource.query('SELECT 1');
    idle.release();
    const releasedAt = Date.now();
    const busy = await acquire(registry, spec('idle-busy', dbB, 1));
    await busy.dataSource.query('SELECT 1');

    await eventually(() => !idle.dataSource.isInitialized);
    expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(190);
    await sleep(250); // well past the idle timeout for the leased one too
    expect(busy.dataSource.isInitialized).toBe(true);
    expect(await settledConnectionsByKey('idle-', { 'idle-busy': 1 })).toEqual({ 'idle-busy': 1 });
    expect(registry.stats()).toMatchObject({ live: 1, evictions: 1, connectionsReserved: 1 });
    expect(logs).toContain('log Evicted pool "idle-unused" (idle)');
  }, 10_000);

  it('rejects every waiter of a failed creation and frees its budget', async () => {
    const registry = newRegistry({ connectionBudget: 2 });
    const missing = spec('fail-missing', database('missing'), 2);

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => registry.acquire(missing)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    const reasons = new Set(results.map((result) => (result as PromiseRejectedResult).reason as Error));
    expect(reasons.size).toBe(1);
    expect([...reasons][0].message).toMatch(/does not exist/);
    expect(registry.stats()).toMatchObject({
      live: 0,
      creating: 0,
      leasesInFlight: 0,
      connectionsReserved: 0,
      creations: 0,
      creationFailures: 1,
    });

    await expect(registry.acquire(missing)).rejects.toThrow(/does not exist/); // retried, not cached
    expect(registry.stats().creationFailures).toBe(2);

    const good = await acquire(registry, spec('fail-good', dbB, 2));
    await expect(good.dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
    expect(registry.stats()).toMatchObject({ live: 1, connectionsReserved: 2, waits: 0 });
    expect(logs.some((line) => line.startsWith('warn Creating pool "fail-missing" failed'))).toBe(true);
    const password = decodeURIComponent(new URL(adminUrl).password);
    if (password) expect(logs.join('\n')).not.toContain(password);
  }, 10_000);

  it('treats a second release of a lease as a no-op', async () => {
    const registry = newRegistry();
    const twice = spec('release-twice', dbA, 1);
    const first = await acquire(registry, twice);
    const second = await acquire(registry, twice);

    first.release();
    first.release();
    expect(registry.stats().leasesInFlight).toBe(1);

    // The second lease still protects the DataSource from eviction.
    const evicted = registry.evict('release-twice');
    await sleep(100);
    expect(second.dataSource.isInitialized).toBe(true);
    second.release();
    second.release();
    await evicted;
    expect(second.dataSource.isInitialized).toBe(false);
    expect(registry.stats()).toMatchObject({ leasesInFlight: 0, live: 0, draining: 0, connectionsReserved: 0 });
  }, 10_000);

  it('close() waits for leases out, destroys everything, then refuses acquires', async () => {
    const registry = newRegistry();
    const a = await acquire(registry, spec('close-a', dbA, 2));
    await openConnections(a.dataSource, 2);
    a.release();
    const b = await acquire(registry, spec('close-b', dbB, 2));
    await b.dataSource.query('SELECT 1');

    const closing = registry.close();
    const closed = settledFlag(closing);
    await sleep(100);
    expect(closed.settled).toBe(false);
    expect(a.dataSource.isInitialized).toBe(false); // nothing held it
    expect(b.dataSource.isInitialized).toBe(true);
    await expect(registry.acquire(spec('close-a', dbA, 2))).rejects.toBeInstanceOf(DataSourceRegistryClosedError);

    b.release();
    await closing;
    expect(b.dataSource.isInitialized).toBe(false);
    expect(registry.stats()).toMatchObject({ live: 0, creating: 0, draining: 0, leasesInFlight: 0, connectionsReserved: 0, evictions: 2 });
    expect(await settledConnectionsByKey('close-', {})).toEqual({});
    expect(logs).toContain('log Evicted pool "close-b" (shutdown)');
  }, 10_000);
});

describe('DataSourceRegistry with pools that are not DataSources', () => {
  /** A plain pg client as a one-connection pool, its connection named like the DataSources' ones. */
  const clientPool = (key: string) => ({
    key,
    poolSize: 1,
    open: async () => {
      const client = new Client({ connectionString: urlOf(dbA), application_name: applicationName(key) });
      await client.connect();
      return { client, destroy: () => client.end() };
    },
  });

  it('counts such a pool in the same budget as DataSources: a DataSource that does not fit evicts it when idle', async () => {
    const registry = newRegistry({ connectionBudget: 2 });
    const other = await registry.acquirePool(clientPool('mixed-pool'));
    await other.pool.client.query('SELECT 1');
    const dataSource = await acquire(registry, spec('mixed-ds', dbB, 1));
    expect(registry.stats()).toMatchObject({ live: 2, connectionsReserved: 2 });

    const waiting = acquire(registry, spec('mixed-more', dbC, 1));
    await sleep(50);
    expect(registry.stats().waits).toBe(1); // the pool is in use: nothing is evicted for the newcomer
    other.release();
    await (await waiting).dataSource.query('SELECT 1');
    expect(registry.stats()).toMatchObject({ live: 2, evictions: 1, connectionsReserved: 2 });
    expect(logs).toContain('log Evicted pool "mixed-pool" (lru)');
    expect(await settledConnectionsByKey('mixed-', { 'mixed-ds': 1, 'mixed-more': 1 })).toEqual({ 'mixed-ds': 1, 'mixed-more': 1 });
    dataSource.release();
  }, 10_000);

  it('closes such a pool once it has been idle for idleTimeoutMs, and opens a fresh one on the next acquire', async () => {
    const registry = newRegistry({ idleTimeoutMs: 200, sweepIntervalMs: 50 });
    const first = await registry.acquirePool(clientPool('idle-pool'));
    first.release();
    await eventually(() => registry.stats().evictions === 1);
    expect(await settledConnectionsByKey('idle-pool', {})).toEqual({});
    const second = await registry.acquirePool(clientPool('idle-pool'));
    expect(second.pool).not.toBe(first.pool);
    await expect(second.pool.client.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    second.release();
  }, 10_000);
});

describe('DataSourceRegistry per-server caps', () => {
  const onServer = (server: string, dataSourceSpec: DataSourceSpec): DataSourceSpec => ({ ...dataSourceSpec, server });

  it('holds DataSources on a capped server to its cap (wait, then ConnectionBudgetExhaustedError), another server still opens', async () => {
    const registry = newRegistry({ connectionBudget: 10, acquireTimeoutMs: 400 });
    registry.setServerLimits(new Map([['server-a', 2]]));
    const a1 = await acquire(registry, onServer('server-a', spec('cap-a1', dbA, 2)));
    await openConnections(a1.dataSource, 2);

    const waitingForA2 = registry.acquire(onServer('server-a', spec('cap-a2', dbB, 2)));
    const a2 = settledFlag(waitingForA2);
    const b1 = await acquire(registry, onServer('server-b', spec('cap-b1', dbC, 2)));
    await openConnections(b1.dataSource, 2);
    expect(a2.settled).toBe(false);
    expect(registry.stats().servers).toEqual({
      'server-a': { connectionsReserved: 2, connectionLimit: 2, waits: 1, budgetTimeouts: 0 },
      'server-b': { connectionsReserved: 2, connectionLimit: null, waits: 0, budgetTimeouts: 0 },
    });

    await expect(waitingForA2).rejects.toBeInstanceOf(ConnectionBudgetExhaustedError);
    expect(await connectionsByKey('cap-')).toEqual({ 'cap-a1': 2, 'cap-b1': 2 });
    expect(registry.stats()).toMatchObject({
      connectionsReserved: 4,
      servers: { 'server-a': { budgetTimeouts: 1, connectionsReserved: 2 } },
    });
  }, 10_000);

  it("makes room on a capped server by evicting only that server's idle DataSources", async () => {
    const registry = newRegistry({ connectionBudget: 10, acquireTimeoutMs: 2_000 });
    registry.setServerLimits(new Map([['server-a', 2]]));
    const b1 = await acquire(registry, onServer('server-b', spec('room-b1', dbC, 2)));
    b1.release(); // idle, least recently used, but on the other server
    const a1 = await acquire(registry, onServer('server-a', spec('room-a1', dbA, 2)));
    a1.release();

    const a2 = await acquire(registry, onServer('server-a', spec('room-a2', dbB, 2)));
    expect(a1.dataSource.isInitialized).toBe(false);
    expect(b1.dataSource.isInitialized).toBe(true);
    expect(a2.dataSource.isInitialized).toBe(true);
    expect(logs).toContain('log Evicted pool "room-a1" (lru)');
  }, 10_000);

  it("lets a waiter in when its server's cap is raised", async () => {
    const registry = newRegistry({ connectionBudget: 10, acquireTimeoutMs: 2_000 });
    registry.setServerLimits(new Map([['server-a', 2]]));
    await acquire(registry, onServer('server-a', spec('raise-a1', dbA, 2)));
    const waitingForA2 = acquire(registry, onServer('server-a', spec('raise-a2', dbB, 2)));
    const a2 = settledFlag(waitingForA2);
    await sleep(100);
    expect(a2.settled).toBe(false);

    registry.setServerLimits(new Map([['server-a', 4]]));
    await expect(waitingForA2).resolves.toBeDefined();
    expect(registry.stats().servers['server-a']).toEqual({ connectionsReserved: 4, connectionLimit: 4, waits: 1, budgetTimeouts: 0 });
  }, 10_000);
});
