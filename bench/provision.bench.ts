import { BenchPostgres } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { BENCH_ADMIN, TenantDetail, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * Provisioning through the API with the queue worker running in the app:
 * - steady: as many clients as the worker has slots each create a tenant and wait for it, so
 *   the time from 202 to active is the provisioning itself, not a backlog;
 * - burst: every tenant submitted at once, so the total shows the worker's throughput.
 * The time from 202 to active is the server's own record (tenant createdAt → activate step
 * finished), so polling does not blur it.
 * Run: npm run bench:provision [-- --quick]   (full: 100 dedicated + 100 pooled per phase;
 * target: dedicated p50 < 1 s, pooled p50 < 200 ms)
 */
const WORKER_SLOTS = 2;
/** Every burst tenant is polled at once; polling them as often as the steady ones would load the server more than the provisioning does. */
const BURST_POLL_MS = 500;
type Placement = 'pooled' | 'dedicated';

interface PhaseResult {
  tenants: number;
  totalSeconds: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const count = quick ? 20 : 100;
  const postgres = await BenchPostgres.start();
  let app: TenantryProcess | undefined;
  let failed = 0;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password, PROVISIONING_CONCURRENCY: String(WORKER_SLOTS) },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, 4 * count + 10);
    // The first dedicated tenant builds the template database; keep that one-off out of the figures.
    await fixtures.createTenant('dedicated');

    const results: Record<string, PhaseResult> = {};
    for (const placement of ['dedicated', 'pooled'] as const) {
      for (const phase of ['steady', 'burst'] as const) {
        const outcome = await (phase === 'steady' ? steady : burst)(fixtures, placement, count);
        failed += outcome.failed;
        const result = summarize(outcome.details, outcome.seconds);
        results[`${placement}_${phase}`] = result;
        console.log(
          `${placement.padEnd(9)} ${phase.padEnd(6)}: ${result.tenants} tenants in ${result.totalSeconds} s, 202→active p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms${outcome.failed ? `, ${outcome.failed} FAILED` : ''}`,
        );
      }
    }
    console.log(
      `targets (steady p50): dedicated < 1000 ms → ${results.dedicated_steady.p50Ms} ms; pooled < 200 ms → ${results.pooled_steady.p50Ms} ms`,
    );
    console.log(JSON.stringify({ bench: 'provision', quick, workerSlots: WORKER_SLOTS, ...results, failed }));
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

interface Outcome {
  details: TenantDetail[];
  seconds: number;
  failed: number;
}

async function steady(fixtures: TenantFixtures, placement: Placement, count: number): Promise<Outcome> {
  const details: TenantDetail[] = [];
  let failed = 0;
  let remaining = count;
  const started = Date.now();
  const client = async (): Promise<void> => {
    while (remaining > 0) {
      remaining -= 1;
      try {
        details.push(await fixtures.waitUntilActive(await fixtures.submitTenant(placement)));
      } catch (error) {
        failed += 1;
        console.error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: WORKER_SLOTS }, client));
  return { details, seconds: (Date.now() - started) / 1000, failed };
}

async function burst(fixtures: TenantFixtures, placement: Placement, count: number): Promise<Outcome> {
  const started = Date.now();
  const ids = await Promise.all(Array.from({ length: count }, () => fixtures.submitTenant(placement)));
  const settled = await Promise.allSettled(ids.map((id) => fixtures.waitUntilActive(id, BURST_POLL_MS)));
  const details = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  for (const result of settled) if (result.status === 'rejected') console.error(String(result.reason));
  return { details, seconds: (Date.now() - started) / 1000, failed: count - details.length };
}

/** 202 → active per tenant, from the server's timestamps. */
function summarize(details: TenantDetail[], seconds: number): PhaseResult {
  const times = details
    .map((detail) => {
      const activated = detail.provisioning.filter((step) => step.step === 'activate' && step.finishedAt).at(-1);
      return activated ? Date.parse(activated.finishedAt!) - Date.parse(detail.createdAt) : Number.NaN;
    })
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  const at = (fraction: number): number => times[Math.min(times.length - 1, Math.floor(fraction * times.length))] ?? 0;
  return {
    tenants: details.length,
    totalSeconds: Math.round(seconds * 100) / 100,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: times.at(-1) ?? 0,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
