import { randomBytes } from 'node:crypto';
import { BenchPostgres } from './common/bench-postgres';
import { LoadResult, LoadSettings, measureInRounds, parseArgs, RequestFactory } from './common/load';
import { openTenantConnections } from './common/previous-build';
import { cpuProbe } from './common/process-cpu';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * The cost of operating a fleet (issue 21) on the request path: the same multi-tenant workload
 * against five processes of one deployment that differ only in what runs per request:
 *   off         — RATE_LIMITS, METRICS and USAGE_METERING all false (the baseline)
 *   rateLimits  — only the plans' rate limits, counted in Redis as with several processes
 *   metrics     — only the Prometheus HTTP observation (and Node's default metrics)
 *   usage       — only usage metering (the onResponse hook into the in-memory buffer)
 *   on          — all three, as a deployment runs (the goal: on / off ≥ 0.95)
 * The workload: 20 tenants (half pooled, half dedicated), each request for one at random: 70% GET of
 * a note by id, 20% a list of 20 notes, 10% creating a note. The plan's limits are set far above what
 * the run sends (nothing is refused) so the limiter does all its work and never answers 429.
 * Each target's app CPU per request (`probed.appCpuUsPerRequest`) is the cost least moved by the load
 * generator and PostgreSQL sharing the machine's cores.
 * Run: npm run bench:fleetops [-- --quick]
 */
const SWITCHES = ['RATE_LIMITS', 'METRICS', 'USAGE_METERING'] as const;
type Switch = (typeof SWITCHES)[number];

const TARGETS: Array<{ name: string; on: Switch[] }> = [
  { name: 'off', on: [] },
  { name: 'rateLimits', on: ['RATE_LIMITS'] },
  { name: 'metrics', on: ['METRICS'] },
  { name: 'usage', on: ['USAGE_METERING'] },
  { name: 'on', on: [...SWITCHES] },
];

/** Far above the run's rate (a few thousand requests a minute per tenant at most): counted, never refused. */
const PLAN_REQUESTS_PER_MINUTE = 1_000_000;

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const tenantCount = quick ? 6 : 20;
  const settings: LoadSettings = quick
    ? { durationSeconds: 3, connections: 20, warmupSeconds: 1 }
    : { durationSeconds: 6, connections: 20, warmupSeconds: 4 };
  // Five short rounds rather than three long ones: on a shared machine, a burst of someone else's work then spoils one round in five.
  const rounds = quick ? 1 : 5;
  // Five app processes, each with pools to every tenant database and to the pooled one.
  const postgres = await BenchPostgres.start({ maxConnections: 300 });
  const apps: TenantryProcess[] = [];
  try {
    const common = {
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      TENANT_CONNECTION_BUDGET: '60',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `bench-fleetops-${randomBytes(4).toString('hex')}:`,
    };
    const envOf = (on: Switch[]) => ({ ...common, ...Object.fromEntries(SWITCHES.map((name) => [name, String(on.includes(name))])) });
    const first = await startTenantry({ databaseUrl: postgres.controlPlaneUrl, env: envOf(TARGETS[0].on) });
    apps.push(first);
    const fixtures = await TenantFixtures.connect(first);
    await fixtures.registerInfrastructure(postgres.adminUrl, tenantCount + 5);
    await fixtures.control('PATCH', '/control/plans/starter', {
      tenantRequestsPerMinute: PLAN_REQUESTS_PER_MINUTE,
      principalRequestsPerMinute: PLAN_REQUESTS_PER_MINUTE,
    });
    const tenants: Array<{ headers: Record<string, string>; noteId: string }> = [];
    for (let i = 0; i < tenantCount; i += 1) {
      const token = fixtures.memberToken(await fixtures.createTenant(i % 2 === 0 ? 'pooled' : 'dedicated'));
      tenants.push({ headers: { authorization: `Bearer ${token}` }, noteId: await fixtures.createNote(token) });
    }
    // The other processes of the same deployment: same control plane, secrets and Redis, other switches.
    const { databaseUrl, jwtSecret, secretsKeys } = first.settings;
    apps.push(
      ...(await Promise.all(TARGETS.slice(1).map(({ on }) => startTenantry({ databaseUrl, env: envOf(on), jwtSecret, secretsKeys })))),
    );
    await openTenantConnections(
      apps,
      tenants.map((tenant) => ({ path: `/api/notes/${tenant.noteId}`, headers: tenant.headers })),
    );

    const next: RequestFactory = () => {
      const tenant = tenants[Math.floor(Math.random() * tenants.length)];
      const roll = Math.random();
      if (roll < 0.1)
        return { method: 'POST', path: '/api/notes', headers: tenant.headers, body: { title: 'fleet note', body: 'x'.repeat(200) } };
      if (roll < 0.3) return { path: '/api/notes?limit=20', headers: tenant.headers };
      return { path: `/api/notes/${tenant.noteId}`, headers: tenant.headers };
    };
    const results: Record<string, LoadResult> = await measureInRounds(
      TARGETS.map(({ name }, index) => ({ name, baseUrl: apps[index].url, next, probe: cpuProbe(apps[index].pid) })),
      settings,
      rounds,
    );

    const versusOff = (name: string) => round(results[name].requestsPerSecond / results.off.requestsPerSecond);
    const cpuVersusOff = (name: string) => round(results[name].probed!.appCpuUsPerRequest / results.off.probed!.appCpuUsPerRequest);
    const ratios = {
      onVsOff: versusOff('on'),
      rateLimitsVsOff: versusOff('rateLimits'),
      metricsVsOff: versusOff('metrics'),
      usageVsOff: versusOff('usage'),
      cpuPerRequestOnVsOff: cpuVersusOff('on'),
      cpuPerRequestRateLimitsVsOff: cpuVersusOff('rateLimits'),
      cpuPerRequestMetricsVsOff: cpuVersusOff('metrics'),
      cpuPerRequestUsageVsOff: cpuVersusOff('usage'),
    };
    for (const [name, result] of Object.entries(results)) {
      const cpu = result.probed!;
      console.log(
        `${name.padEnd(11)} ${String(result.requestsPerSecond).padStart(6)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   ` +
          `app ${cpu.appCpuUsPerRequest} µs CPU/request (${cpu.appCores} cores)   load generator ${cpu.loadGeneratorCores} cores   ` +
          `machine ${cpu.machineBusyCores} cores   errors ${result.errors}   non-2xx ${result.non2xx}`,
      );
    }
    console.log(
      `throughput vs all off — on: ${ratios.onVsOff} (goal >= 0.95)   rate limits: ${ratios.rateLimitsVsOff}   metrics: ${ratios.metricsVsOff}   usage: ${ratios.usageVsOff}`,
    );
    console.log(
      `app CPU per request vs all off — on: ${ratios.cpuPerRequestOnVsOff}   rate limits: ${ratios.cpuPerRequestRateLimitsVsOff}   ` +
        `metrics: ${ratios.cpuPerRequestMetricsVsOff}   usage: ${ratios.cpuPerRequestUsageVsOff}`,
    );
    const failed = Object.values(results).reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    const run = { bench: 'fleetops', quick, tenants: tenantCount, rounds, ...settings };
    console.log(JSON.stringify({ ...run, results, ratios, failedRequests: failed }));
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    for (const app of apps.reverse()) await app.stop();
    await postgres.dispose();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
