import { BenchPostgres } from './common/bench-postgres';
import { LoadResult, measure, parseArgs } from './common/load';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * Fleet: many dedicated tenant databases under a connection budget of 60, uniform random
 * traffic; connections are sampled from pg_stat_activity and must never exceed the budget.
 * Then the same number of tenants in one pooled database, same traffic, as a ratio.
 * Run: npm run bench:fleet [-- --quick]   (full: 1,000 tenants of each kind)
 */
const BUDGET = 60;

interface FleetResult extends LoadResult {
  maxConnectionsSeen: number;
  creations: number;
  evictions: number;
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const tenantCount = quick ? 80 : 1000;
  const settings = quick
    ? { durationSeconds: 8, connections: 20, warmupSeconds: 0 }
    : { durationSeconds: 30, connections: 20, warmupSeconds: 0 };
  const postgres = await BenchPostgres.start();
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        TENANT_CONNECTION_BUDGET: String(BUDGET),
        TENANT_DATABASE_POOL_SIZE: '2',
        POOLED_DATABASE_POOL_SIZE: '10',
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, tenantCount + 10);

    const results: Record<string, FleetResult> = {};
    for (const placement of ['dedicated', 'pooled'] as const) {
      const started = Date.now();
      const targets: Array<{ token: string; noteId: string }> = [];
      for (let i = 0; i < tenantCount; i += 1) {
        const token = fixtures.memberToken(await fixtures.createTenant(placement));
        targets.push({ token, noteId: await fixtures.createNote(token) });
      }
      console.log(`created ${tenantCount} ${placement} tenants with a note each in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      results[placement] = await measureFleet(app, postgres, targets, settings);
    }

    const ratio = Math.round((results.pooled.requestsPerSecond / results.dedicated.requestsPerSecond) * 100) / 100;
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `${name.padEnd(10)} ${String(r.requestsPerSecond).padStart(6)} req/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   ` +
          `max connections ${r.maxConnectionsSeen}/${BUDGET}   creations ${r.creations}   evictions ${r.evictions}   errors ${r.errors}   non-2xx ${r.non2xx}`,
      );
    }
    console.log(`pooled / dedicated throughput: ${ratio}`);
    const overBudget = Object.values(results).some((r) => r.maxConnectionsSeen > BUDGET);
    const failed = Object.values(results).reduce((sum, r) => sum + r.errors + r.non2xx, 0);
    console.log(
      JSON.stringify({
        bench: 'fleet',
        quick,
        tenants: tenantCount,
        budget: BUDGET,
        ...settings,
        results,
        pooledVsDedicated: ratio,
        overBudget,
        failedRequests: failed,
      }),
    );
    process.exitCode = failed > 0 || overBudget ? 1 : 0;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

async function measureFleet(
  app: TenantryProcess,
  postgres: BenchPostgres,
  targets: Array<{ token: string; noteId: string }>,
  settings: { durationSeconds: number; connections: number; warmupSeconds: number },
): Promise<FleetResult> {
  const before = await registryStats(app.url);
  let maxConnectionsSeen = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxConnectionsSeen = Math.max(maxConnectionsSeen, await postgres.tenantConnections());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const load = await measure(
    app.url,
    () => {
      const target = targets[Math.floor(Math.random() * targets.length)];
      return { path: `/api/notes/${target.noteId}`, headers: { authorization: `Bearer ${target.token}` } };
    },
    settings,
  );
  sampling = false;
  await sampler;
  const after = await registryStats(app.url);
  return { ...load, maxConnectionsSeen, creations: after.creations - before.creations, evictions: after.evictions - before.evictions };
}

async function registryStats(baseUrl: string): Promise<{ creations: number; evictions: number }> {
  const response = await fetch(`${baseUrl}/health/ready`);
  return ((await response.json()) as { details: { tenantConnections: { creations: number; evictions: number } } }).details
    .tenantConnections;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
