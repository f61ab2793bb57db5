import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { BenchPostgres } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * A noisy neighbour against the rate limits: 20 pooled tenants send a steady GET /api/notes/:id
 * load at half their limit; then one of them floods at 10× its limit while the other 19 keep
 * theirs. Reported: the others' p99 before vs during the flood (goal: ≤ 1.2×), the share of the
 * flooder's requests answered 429, and the others' failed requests (must be 0). Phases alternate
 * (before, during; during, before; …) and each phase's median round is reported. The counters
 * live in Redis (REDIS_URL, default the local one; a key prefix of the run's own), as in a
 * deployment of several processes.
 * Run: npm run bench:noisy [-- --quick]
 */
const TENANTS = 20;
/** Each tenant's limit (requests per minute), for the tenant and for its one user alike. */
const LIMIT_PER_MINUTE = 600;
const STEADY_PER_SECOND = LIMIT_PER_MINUTE / 60 / 2;
const FLOOD_PER_SECOND = (LIMIT_PER_MINUTE / 60) * 10;

interface Phase {
  othersP50Ms: number;
  othersP99Ms: number;
  othersRequests: number;
  othersFailed: number;
  flooderRequests: number;
  flooder429: number;
  flooderFailed: number;
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  // A flood must outlast a sixth of the one-minute window to go past the limit at 10×; the longer, the closer its 429 share gets to 90%.
  const phaseSeconds = quick ? 15 : 30;
  const rounds = quick ? 1 : 3;
  const postgres = await BenchPostgres.start();
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        RATE_LIMITS: 'true',
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `bench-noisy-${randomBytes(4).toString('hex')}:`,
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, TENANTS + 5);
    const tenants: Array<{ path: string; headers: Record<string, string> }> = [];
    for (let i = 0; i < TENANTS; i += 1) {
      const id = await fixtures.createTenant('pooled');
      await fixtures.control('PUT', `/control/tenants/${id}/rate-limits`, {
        tenantRequestsPerMinute: LIMIT_PER_MINUTE,
        principalRequestsPerMinute: LIMIT_PER_MINUTE,
      });
      const token = fixtures.memberToken(id);
      tenants.push({ path: `/api/notes/${await fixtures.createNote(token)}`, headers: { authorization: `Bearer ${token}` } });
    }
    const [flooder, ...others] = tenants;
    const url = app.url;

    const before: Phase[] = [];
    const during: Phase[] = [];
    const phase = async (flooding: boolean) => {
      const [othersResult, flooderResult] = await Promise.all([
        load(url, others, STEADY_PER_SECOND * others.length, phaseSeconds),
        load(url, [flooder], flooding ? FLOOD_PER_SECOND : STEADY_PER_SECOND, phaseSeconds),
      ]);
      const refused = flooderResult.statusCodeStats?.['429']?.count ?? 0;
      (flooding ? during : before).push({
        othersP50Ms: othersResult.latency.p50,
        othersP99Ms: othersResult.latency.p99,
        othersRequests: othersResult.requests.total,
        othersFailed: othersResult.errors + othersResult.timeouts + othersResult.non2xx,
        flooderRequests: flooderResult.requests.total,
        flooder429: refused,
        flooderFailed: flooderResult.errors + flooderResult.timeouts + flooderResult.non2xx - refused,
      });
    };
    await load(url, tenants, STEADY_PER_SECOND * TENANTS, quick ? 2 : 5); // warm-up: pools, caches, JIT
    for (let round = 0; round < rounds; round += 1) {
      for (const flooding of round % 2 === 0 ? [false, true] : [true, false]) await phase(flooding);
    }

    const results = { before: medianPhase(before), during: medianPhase(during) };
    const ratios = {
      othersP99DuringVsBefore: round2(results.during.othersP99Ms / results.before.othersP99Ms),
      flooder429Share: round2(results.during.flooder429 / results.during.flooderRequests),
    };
    const othersFailed = [...before, ...during].reduce((sum, p) => sum + p.othersFailed, 0);
    const flooderFailed = [...before, ...during].reduce((sum, p) => sum + p.flooderFailed, 0);
    for (const [name, result] of Object.entries(results)) {
      console.log(
        `${name.padEnd(7)} others p50 ${result.othersP50Ms} ms  p99 ${result.othersP99Ms} ms  (${result.othersRequests} requests)   ` +
          `flooder ${result.flooderRequests} requests, ${result.flooder429} answered 429`,
      );
    }
    console.log(
      `others' p99 during / before: ${ratios.othersP99DuringVsBefore} (goal <= 1.2)   flooder's 429 share: ${ratios.flooder429Share}   ` +
        `others' failed requests: ${othersFailed} (must be 0)   flooder's failures other than 429: ${flooderFailed}`,
    );
    const run = {
      bench: 'noisy',
      quick,
      tenants: TENANTS,
      limitPerMinute: LIMIT_PER_MINUTE,
      steadyPerSecondPerTenant: STEADY_PER_SECOND,
      floodPerSecond: FLOOD_PER_SECOND,
      phaseSeconds,
      rounds,
    };
    console.log(JSON.stringify({ ...run, results, ratios, othersFailed, flooderFailed }));
    process.exitCode = othersFailed + flooderFailed > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

/** Sends `perSecond` requests a second for `seconds`, spread over `targets` at random. */
function load(baseUrl: string, targets: Array<{ path: string; headers: Record<string, string> }>, perSecond: number, seconds: number) {
  return autocannon({
    url: baseUrl,
    connections: Math.min(20, Math.ceil(perSecond / 5)),
    overallRate: perSecond,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const target = targets[Math.floor(Math.random() * targets.length)];
          return { ...request, method: 'GET', path: target.path, headers: { ...request.headers, ...target.headers } };
        },
      },
    ],
  });
}

/** The phase of median p99 among the rounds, its failures summed over them elsewhere. */
function medianPhase(phases: Phase[]): Phase {
  return [...phases].sort((a, b) => a.othersP99Ms - b.othersP99Ms)[Math.floor(phases.length / 2)];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
