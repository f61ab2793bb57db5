import { join } from 'node:path';
import { BenchPostgres } from './common/bench-postgres';
import { ChildServer, forkServer } from './common/child-server';
import { LoadResult, LoadSettings, measureInRounds, parseArgs, Target } from './common/load';
import { previousBuildOf } from './common/previous-build';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';
import { BaselineKind } from './http/baseline-servers';

/**
 * What the framework costs: requests per second of an authenticated GET on Tenantry
 * (`GET /api/tenant`: JWT, access rule, tenant resolution, one control-plane row) beside the
 * same authenticated GET on bare Fastify/Express and minimal Nest apps on each adapter.
 * Every server runs in its own process; targets run in interleaved rounds with the same settings.
 * With `--previous <checkout>` the same GET is also measured on that checkout's build (its own
 * control-plane database, optionally its own `--previous-node`): the ratio to it is the cost of the change.
 * Run: npm run bench:http [-- --quick] [-- --previous ../main-before --previous-node /usr/bin/node]
 */
const BASELINES: BaselineKind[] = ['bare-fastify', 'bare-express', 'nest-fastify', 'nest-express'];

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const previous = previousBuildOf(process.argv);
  const settings: LoadSettings = quick
    ? { durationSeconds: 3, connections: 50, warmupSeconds: 1 }
    : { durationSeconds: 6, connections: 50, warmupSeconds: 2 };
  const rounds = quick ? 1 : 3;
  let results: Record<string, LoadResult> = {};
  const servers: ChildServer[] = [];
  const postgres = await BenchPostgres.start();
  let app: TenantryProcess | undefined;
  let previousApp: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, 10);
    const token = fixtures.memberToken(await fixtures.createTenant('pooled'));
    const headers = { authorization: `Bearer ${token}` };

    const targets: Target[] = [];
    for (const kind of BASELINES) {
      const server = await forkServer(join(__dirname, 'http', 'baseline-child.js'), {
        TENANTRY_BENCH_BASELINE: JSON.stringify({ kind, secret: app.jwtSecret }),
      });
      servers.push(server);
      targets.push({ name: kind, baseUrl: server.url, next: () => ({ path: '/resource', headers }) });
    }
    targets.push({ name: 'tenantry', baseUrl: app.url, next: () => ({ path: '/api/tenant', headers }) });
    if (previous) {
      const databaseUrl = await postgres.createDatabase('previous');
      previousApp = await startTenantry(
        { databaseUrl, env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password } },
        previous,
      );
      const previousFixtures = await TenantFixtures.connect(previousApp);
      await previousFixtures.registerInfrastructure(postgres.adminUrl, 10);
      const previousHeaders = { authorization: `Bearer ${previousFixtures.memberToken(await previousFixtures.createTenant('pooled'))}` };
      targets.push({
        name: 'tenantry-previous',
        baseUrl: previousApp.url,
        next: () => ({ path: '/api/tenant', headers: previousHeaders }),
      });
    }
    results = await measureInRounds(targets, settings, rounds);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await app?.stop();
    await previousApp?.stop();
    await postgres.dispose();
  }

  const rps = (name: string) => results[name].requestsPerSecond;
  const ratio = (a: string, b: string) => Math.round((rps(a) / rps(b)) * 100) / 100;
  const ratios = {
    tenantryVsBareFastify: ratio('tenantry', 'bare-fastify'),
    tenantryVsBareExpress: ratio('tenantry', 'bare-express'),
    nestFastifyVsNestExpress: ratio('nest-fastify', 'nest-express'),
    bareFastifyVsBareExpress: ratio('bare-fastify', 'bare-express'),
    ...(previous ? { tenantryVsPrevious: ratio('tenantry', 'tenantry-previous') } : {}),
  };
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(18)} ${String(r.requestsPerSecond).padStart(6)} req/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   errors ${r.errors}   non-2xx ${r.non2xx}`,
    );
  }
  console.log(
    Object.entries(ratios)
      .map(([name, value]) => `${name} ${value}`)
      .join('   '),
  );
  const failed = Object.values(results).reduce((sum, r) => sum + r.errors + r.non2xx, 0);
  console.log(JSON.stringify({ bench: 'http', quick, rounds, ...settings, previous, results, ratios, failedRequests: failed }));
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
