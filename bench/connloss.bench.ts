import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSourceOptions } from 'typeorm';
import { TenantConnectionLostError } from '../libs/tenancy/connection-errors';
import { DataSourceRegistry } from '../libs/tenancy/data-source-registry';
import { TenantConnectionProvider } from '../libs/tenancy/tenant-connection-provider';
import { TenantContext, TenantRecord } from '../libs/tenancy/tenant-context';
import { boundTenantOf } from '../libs/tenancy/tenant-placement';
import { BenchPostgres, query } from './common/bench-postgres';
import { parseArgs } from './common/load';

/**
 * Tenant backends terminated under load (chaos), at the level every /api request stands on: the
 * TenantConnectionProvider over the DataSourceRegistry on a real PostgreSQL, one pooled and one
 * dedicated tenant in one database. Workers run writes (`transaction()`), ORM reads (`read()`) and
 * prepared reads (`select()`) back to back while every backend of the database is terminated at a
 * fixed interval; then the same load runs without faults. Each outcome is counted: answered, a
 * 503 "not applied", a 503 "may have been applied", or anything else (what the app answers 500).
 * Every answered write must be stored and no "not applied" one. Bounded: a fixed duration per phase.
 * Run: npm run bench:connloss [-- --quick]
 */
const WORKERS = 16;
const TERMINATE_EVERY_MS = 250;

type Outcome = 'ok' | 'notApplied' | 'unknown' | 'other';

const KINDS = ['write', 'read', 'select'] as const;
type Kind = (typeof KINDS)[number];

interface PhaseResult {
  requests: number;
  /** Per kind of call: `transaction()` writes, `read()` and `select()` reads. */
  outcomes: Record<Kind, Record<Outcome, number>>;
  p50Ms: number;
  p99Ms: number;
  terminations: number;
  backendsTerminated: number;
  okWritesMissing: number;
  notAppliedWritesStored: number;
  otherErrors: string[];
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const durationMs = quick ? 3_000 : 10_000;
  const postgres = await BenchPostgres.start();
  const registry = new DataSourceRegistry({ connectionBudget: 40, idleTimeoutMs: 60_000, acquireTimeoutMs: 5_000 });
  try {
    const url = await postgres.createDatabase('connloss');
    await query(url, "CREATE TABLE items (label text PRIMARY KEY, tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id'))");
    const database = new URL(url).pathname.slice(1);
    const providers = (['pooled', 'dedicated'] as const).map((placement) => providerFor(registry, url, placement));
    const faults = await phase(providers, durationMs, { adminUrl: postgres.adminUrl, database });
    const quiet = await phase(providers, durationMs);
    for (const [name, result] of Object.entries({ faults, quiet })) {
      console.log(
        `${name.padEnd(6)} ${String(result.requests).padStart(6)} calls   ${JSON.stringify(result.outcomes)}   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms` +
          `   terminated ${result.backendsTerminated} backends in ${result.terminations} rounds`,
      );
    }
    const check = (result: PhaseResult) =>
      KINDS.reduce((sum, kind) => sum + result.outcomes[kind].other, 0) + result.okWritesMissing + result.notAppliedWritesStored;
    const failures = check(faults) + check(quiet);
    // A call that failed in a way the app does not name, or a write whose answer lied, fails the bench.
    if (failures > 0) process.exitCode = 1;
    console.log(
      JSON.stringify({
        bench: 'connloss',
        quick,
        durationSeconds: durationMs / 1000,
        workers: WORKERS,
        terminateEveryMs: TERMINATE_EVERY_MS,
        faults,
        quiet,
        failures,
      }),
    );
  } finally {
    await registry.close();
    await postgres.dispose();
  }
}

/** A provider bound to one tenant for good (the app binds the request's tenant). */
function providerFor(registry: DataSourceRegistry, url: string, placement: 'pooled' | 'dedicated'): TenantConnectionProvider {
  const tenant: TenantRecord = {
    id: randomUUID(),
    slug: placement,
    status: 'active',
    placement,
    enabledModules: [],
    schemaVersion: null,
    dataSourceKey: placement,
    poolSize: 10,
    connectionOptions: (): DataSourceOptions => ({
      type: 'postgres',
      url,
      extra: { connectionTimeoutMillis: 5_000, options: '-c lock_timeout=3000' },
    }),
  };
  const bound = boundTenantOf(tenant);
  return new TenantConnectionProvider(registry, { require: () => bound } as unknown as TenantContext);
}

async function phase(
  providers: TenantConnectionProvider[],
  durationMs: number,
  chaos?: { adminUrl: string; database: string },
): Promise<PhaseResult> {
  const outcomes = Object.fromEntries(
    KINDS.map((kind) => [kind, { ok: 0, notApplied: 0, unknown: 0, other: 0 }]),
  ) as PhaseResult['outcomes'];
  const latencies: number[] = [];
  const written = new Map<string, Outcome>();
  const otherErrors = new Set<string>();
  const until = Date.now() + durationMs;
  let step = 0;
  const worker = async (provider: TenantConnectionProvider) => {
    while (Date.now() < until) {
      const label = randomUUID();
      const kind = KINDS[step++ % KINDS.length];
      const started = performance.now();
      let outcome: Outcome = 'ok';
      try {
        if (kind === 'write') await provider.transaction((tx) => tx.manager.query('INSERT INTO items (label) VALUES ($1)', [label]));
        else if (kind === 'read') await provider.read((tx) => tx.manager.query('SELECT count(*) FROM items'));
        else await provider.select('SELECT label FROM items WHERE label = $1', [label]);
      } catch (error) {
        outcome = error instanceof TenantConnectionLostError ? (error.outcome === 'unknown' ? 'unknown' : 'notApplied') : 'other';
        if (outcome === 'other') otherErrors.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      latencies.push(performance.now() - started);
      outcomes[kind][outcome] += 1;
      if (kind === 'write') written.set(label, outcome);
    }
  };
  let terminations = 0;
  let backendsTerminated = 0;
  const terminator = async () => {
    while (chaos && Date.now() < until - TERMINATE_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, TERMINATE_EVERY_MS));
      const rows = await query(
        chaos.adminUrl,
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [chaos.database],
      );
      terminations += 1;
      backendsTerminated += rows.length;
    }
  };
  await Promise.all([terminator(), ...Array.from({ length: WORKERS }, (_, index) => worker(providers[index % providers.length]))]);

  const labels = [...written.keys()];
  const stored = new Set(
    (await providers[0].select<{ label: string }>('SELECT label FROM items WHERE label = ANY($1)', [labels])).map((row) => row.label),
  );
  // The bench table has no row-level security: one select sees the writes of both tenants.
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  return {
    requests: latencies.length,
    outcomes,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    terminations,
    backendsTerminated,
    okWritesMissing: labels.filter((label) => written.get(label) === 'ok' && !stored.has(label)).length,
    notAppliedWritesStored: labels.filter((label) => written.get(label) === 'notApplied' && stored.has(label)).length,
    otherErrors: [...otherErrors].slice(0, 5),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
