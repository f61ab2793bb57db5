import { Client } from 'pg';
import { BenchPostgres, query } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { cpuProbe } from './common/process-cpu';
import { STATEMENT_TIMES_FLAGS, statementTimes } from './common/statement-times';
import { BENCH_ADMIN, call, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * Bulk import throughput: a CSV of contacts (100k rows; 10k with --quick) imported through
 * POST /api/imports into a pooled tenant, timed from the upload's first byte until the job reports
 * every row written (upload, stored file, per-row checks with the API's rules, batched writes,
 * data audit). Baseline, in the same run and the same pooled database: the same rows written by
 * plain multi-row INSERTs of 500 rows, one transaction each (what a hand-written loader would do,
 * with no checks and no audit). Goal: import rows/s ≥ 0.5 × baseline rows/s. Also printed: the app's
 * CPU time per imported row, the figure least moved by other work on a shared machine, and (embedded
 * server) PostgreSQL's CPU time per row of each side: when others take the cores, what each side costs
 * says more than its speed. With --statements, also where PostgreSQL spent its time during the import,
 * by statement (pg_stat_statements; loaded into the embedded server, a DATABASE_URL server must load it itself).
 * Run: npm run bench:import [-- --quick] [-- --statements]
 */
const BATCH = 500;
const GOAL = 0.5;

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const rows = quick ? 10_000 : 100_000;
  const withStatements = process.argv.includes('--statements');
  const postgres = await BenchPostgres.start(withStatements ? { serverFlags: STATEMENT_TIMES_FLAGS } : {});
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, 10);
    const importer = fixtures.memberToken(await fixtures.createTenant('pooled', 'enterprise'));
    const baselineTenant = await fixtures.createTenant('pooled', 'enterprise');
    const [pool] = await query(postgres.controlPlaneUrl, 'SELECT database_name AS name FROM tenant_pools LIMIT 1');
    const pooledUrl = new URL(postgres.adminUrl);
    pooledUrl.pathname = `/${pool.name as string}`;

    const people = Array.from({ length: rows }, (_, i) => ({
      firstName: `First${i}`,
      lastName: `Last, "${i}"`,
      email: `person${i}@bench.example`,
      jobTitle: 'Engineer',
    }));
    const postgresPid = await postgres.serverPid();
    const measureBaselineCpu = await cpuProbe(app.pid, postgresPid)();
    const baseline = await plainInserts(pooledUrl.toString(), baselineTenant, people);
    const baselineCpu = await measureBaselineCpu(rows);
    const readStatements = withStatements ? await statementTimes(postgres.adminUrl) : undefined;
    const measureCpu = await cpuProbe(app.pid, postgresPid)();
    const imported = await importCsv(app.url, importer, people);
    const cpu = await measureCpu(imported.written);
    if (readStatements) {
      console.log('PostgreSQL during the import (ms, calls, rows, statement):');
      for (const { ms, calls, rows: returned, statement } of await readStatements())
        console.log(`  ${ms} ${calls} ${returned} ${statement}`);
    }
    const ratio = Math.round((imported.perSecond / baseline.perSecond) * 100) / 100;
    console.log(`plain batched INSERT: ${rows} rows in ${baseline.seconds.toFixed(2)} s, ${baseline.perSecond} rows/s`);
    console.log(
      `CSV import:           ${imported.written} of ${rows} rows in ${imported.seconds.toFixed(2)} s, ${imported.perSecond} rows/s (${imported.status})`,
    );
    console.log(`import ÷ plain INSERT: ${ratio} (goal ≥ ${GOAL})`);
    console.log(
      `app CPU during the import: ${cpu.appCpuUsPerRequest} µs a row, ${cpu.appCores} cores; machine busy: ${cpu.machineBusyCores} cores`,
    );
    if (postgresPid !== undefined)
      console.log(
        `CPU a row: plain INSERT ${baselineCpu.postgresCpuUsPerRequest} µs PostgreSQL + ${baselineCpu.loadGeneratorCpuUsPerRequest} µs client; ` +
          `import ${cpu.postgresCpuUsPerRequest} µs PostgreSQL (the relay's share included) + ${cpu.appCpuUsPerRequest} µs app`,
      );
    const failed = imported.status !== 'completed' || imported.written !== rows;
    console.log(
      JSON.stringify({
        bench: 'import',
        quick,
        rows,
        baselineRowsPerSecond: baseline.perSecond,
        importRowsPerSecond: imported.perSecond,
        importVsBaseline: ratio,
        appCpuUsPerRow: cpu.appCpuUsPerRequest,
        postgresCpuUsPerRow: cpu.postgresCpuUsPerRequest,
        baselinePostgresCpuUsPerRow: baselineCpu.postgresCpuUsPerRequest,
        baselineClientCpuUsPerRow: baselineCpu.loadGeneratorCpuUsPerRequest,
        appCores: cpu.appCores,
        machineBusyCores: cpu.machineBusyCores,
        goal: GOAL,
        goalMet: ratio >= GOAL,
        failed,
      }),
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

type Person = { firstName: string; lastName: string; email: string; jobTitle: string };

/** The rows as multi-row INSERTs of BATCH rows, each its own transaction, straight into the pooled database. */
async function plainInserts(url: string, tenantId: string, people: Person[]): Promise<{ seconds: number; perSecond: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (let offset = 0; offset < people.length; offset += BATCH) {
      const batch = people.slice(offset, offset + BATCH);
      const values = batch.map((_, i) => `($1, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}, $${i * 4 + 5}, '{}')`).join(', ');
      await client.query(`INSERT INTO contacts (tenant_id, first_name, last_name, email, job_title, custom_fields) VALUES ${values}`, [
        tenantId,
        ...batch.flatMap((person) => [person.firstName, person.lastName, person.email, person.jobTitle]),
      ]);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, perSecond: Math.round(people.length / seconds) };
  } finally {
    await client.end();
  }
}

/** Uploads the rows as one CSV and polls the import until its job has ended. */
async function importCsv(baseUrl: string, token: string, people: Person[]) {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const csv = [
    'firstName,lastName,email,jobTitle',
    ...people.map((p) => [p.firstName, p.lastName, p.email, p.jobTitle].map(quote).join(',')),
  ].join('\n');
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/imports?entity=contacts&format=csv&mode=skip_invalid&externalKey=email`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    body: csv,
  });
  const job = (await response.json()) as { id?: string };
  if (response.status !== 202 || !job.id) throw new Error(`POST /api/imports answered ${response.status}: ${JSON.stringify(job)}`);
  for (;;) {
    const state = await call(baseUrl, 'GET', `/api/imports/${job.id}`, undefined, token);
    if (state.status === 'completed' || state.status === 'failed') {
      const seconds = (performance.now() - started) / 1000;
      return {
        status: state.status as string,
        written: state.rowsWritten as number,
        seconds,
        perSecond: Math.round(state.rowsWritten / seconds),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
