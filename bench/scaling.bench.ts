import { BenchPostgres } from './common/bench-postgres';
import { LoadResult, LoadSettings, measureInRounds, parseArgs } from './common/load';
import { openTenantConnections } from './common/previous-build';
import { cpuProbe } from './common/process-cpu';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { MainProcess, startMain } from './common/tenantry-main';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * Several app processes behind one port (`WEB_CONCURRENCY`, node:cluster, src/platform/cluster): bench:routing's
 * 20-tenant target (GET /api/notes/:id across 20 dedicated tenants) against `npm start`'s entry point run with
 * WEB_CONCURRENCY=1 and with WEB_CONCURRENCY=2, two deployments of one control plane, in the same interleaved rounds.
 * `scalingFactor` is the throughput of two workers over one. Each target also reports where the CPU went
 * (bench/common/process-cpu.ts): the app's processes, this process (the load generator: autocannon) and the
 * whole machine, because on a machine of 2 cores that the load generator and PostgreSQL share, two workers
 * cannot get two cores: the factor is bounded by what the neighbours leave, not by the app.
 * Run: npm run bench:scaling [-- --quick]
 */
async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const tenantCount = quick ? 6 : 20;
  const settings: LoadSettings = quick
    ? { durationSeconds: 4, connections: 20, warmupSeconds: 2 }
    : { durationSeconds: 8, connections: 20, warmupSeconds: 4 };
  const rounds = quick ? 1 : 3;
  // The set-up process and three workers, each with pools to every tenant database.
  const postgres = await BenchPostgres.start({ maxConnections: 250 });
  let setup: TenantryProcess | undefined;
  const deployments: MainProcess[] = [];
  try {
    setup = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password, TENANT_CONNECTION_BUDGET: '60' },
    });
    const fixtures = await TenantFixtures.connect(setup);
    await fixtures.registerInfrastructure(postgres.adminUrl, tenantCount + 5);
    const requests: Array<{ path: string; headers: Record<string, string> }> = [];
    for (let i = 0; i < tenantCount; i += 1) {
      const token = fixtures.memberToken(await fixtures.createTenant('dedicated'));
      requests.push({ path: `/api/notes/${await fixtures.createNote(token)}`, headers: { authorization: `Bearer ${token}` } });
    }
    deployments.push(await startMain(setup, { WEB_CONCURRENCY: '1' }));
    deployments.push(await startMain(setup, { WEB_CONCURRENCY: '2' }));
    await openTenantConnections(deployments, requests);

    const next = () => requests[Math.floor(Math.random() * requests.length)];
    const results: Record<string, LoadResult> = await measureInRounds(
      [
        { name: 'oneWorker', baseUrl: deployments[0].url, next, probe: cpuProbe(deployments[0].pid) },
        { name: 'twoWorkers', baseUrl: deployments[1].url, next, probe: cpuProbe(deployments[1].pid) },
      ],
      settings,
      rounds,
    );

    const ratios = {
      scalingFactor: round(results.twoWorkers.requestsPerSecond / results.oneWorker.requestsPerSecond),
      p50TwoVsOne: round(results.twoWorkers.p50Ms / results.oneWorker.p50Ms),
      p99TwoVsOne: round(results.twoWorkers.p99Ms / results.oneWorker.p99Ms),
      appCoresTwoVsOne: round(results.twoWorkers.probed!.appCores / results.oneWorker.probed!.appCores),
    };
    for (const [name, result] of Object.entries(results)) {
      const cpu = result.probed!;
      console.log(
        `${name.padEnd(10)} ${String(result.requestsPerSecond).padStart(6)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   ` +
          `app ${cpu.appCores} cores (${cpu.appCpuUsPerRequest} µs/request)   load generator ${cpu.loadGeneratorCores} cores   ` +
          `machine ${cpu.machineBusyCores} cores   errors ${result.errors}   non-2xx ${result.non2xx}`,
      );
    }
    console.log(
      `two workers / one: throughput ${ratios.scalingFactor}   p50 ${ratios.p50TwoVsOne}   p99 ${ratios.p99TwoVsOne}   app cores ${ratios.appCoresTwoVsOne}`,
    );
    const failed = Object.values(results).reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    const run = { bench: 'scaling', quick, tenants: tenantCount, rounds, ...settings };
    console.log(JSON.stringify({ ...run, results, ratios, failedRequests: failed }));
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    for (const deployment of deployments) await deployment.stop();
    await setup?.stop();
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
