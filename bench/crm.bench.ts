import { randomUUID } from 'node:crypto';
import { BenchPostgres, query } from './common/bench-postgres';
import { LoadResult, LoadSettings, measureInRounds, parseArgs, Target } from './common/load';
import {
  besidePrevious,
  openTenantConnections,
  previousBuildOf,
  printVersusPrevious,
  startPreviousBeside,
  versusPrevious,
} from './common/previous-build';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * CRM list latency: GET /api/contacts?limit=50 with an owner filter and a name search, on tenants
 * holding many contacts each — pooled (many tenants' contacts in one database) and dedicated.
 * Target: p99 under 50 ms at concurrency 20; pooled within 1.3× of dedicated.
 *
 * `pooled-active` puts the load on as many pooled tenants as there are dedicated ones, so that it
 * reads as much data as `dedicated` does while sharing its table with all the others: the
 * comparison of placements the target is about. `pooled` spreads the load over all pooled
 * tenants, a working set 20 times larger in the full run (BENCHMARKS.md).
 * With `--previous <checkout>` every target also runs on that checkout's build, as a second process
 * serving the same tenants and rows (optionally on its own `--previous-node`): `versusPrevious`
 * gives this build's figures over the previous one's.
 * Run: npm run bench:crm [-- --quick] [-- --previous ../main-before --previous-node /usr/bin/node]
 *   (full: 100 pooled tenants × 100,000 contacts, 5 dedicated × 100,000)
 */
const LAST_NAMES = [
  'Smith',
  'Miller',
  'Garcia',
  'Novak',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Jensen',
  'Kowalski',
  'Tanaka',
  'Silva',
  'Nguyen',
  'Olsen',
  'Murphy',
  'Weber',
  'Costa',
  'Haddad',
  'Ivanov',
  'Larsen',
  'Moreau',
];
const OWNERS_PER_TENANT = 10;
const ACCOUNTS_PER_TENANT = 100;

interface SeededTenant {
  token: string;
  owners: string[];
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const previous = previousBuildOf(process.argv);
  const pooledTenants = quick ? 10 : 100;
  const dedicatedTenants = quick ? 2 : 5;
  const contactsPerTenant = quick ? 10_000 : 100_000;
  // The full run warms each target for 30 s: right after seeding, the pooled tenants' contacts and
  // index pages (several GB) are mostly not in memory, and a short warm-up measured reads from disk
  // (BENCHMARKS.md, bench:crm, "Measuring after a bulk load").
  const settings: LoadSettings = quick
    ? { durationSeconds: 5, connections: 20, warmupSeconds: 2 }
    : { durationSeconds: 10, connections: 20, warmupSeconds: 30 };
  // Two Tenantry processes with --previous, each with its own pools to every tenant database.
  const postgres = await BenchPostgres.start(previous ? { maxConnections: 250 } : {});
  let app: TenantryProcess | undefined;
  let previousApp: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        TENANT_CONNECTION_BUDGET: '60',
        TENANT_DATABASE_POOL_SIZE: '4',
        POOLED_DATABASE_POOL_SIZE: '20',
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, pooledTenants + dedicatedTenants + 10);

    const started = Date.now();
    const pooled = await seed(fixtures, postgres, 'pooled', pooledTenants, contactsPerTenant);
    const dedicated = await seed(fixtures, postgres, 'dedicated', dedicatedTenants, contactsPerTenant);
    const seedSeconds = (Date.now() - started) / 1000;
    console.log(
      `seeded ${pooledTenants} pooled + ${dedicatedTenants} dedicated tenants × ${contactsPerTenant} contacts in ${seedSeconds.toFixed(0)} s`,
    );
    // The data against the server's memory for pages, to read the pages-per-request figures by.
    const memory = {
      sharedBuffersMiB: await postgres.sharedBuffersMiB(),
      pooledContactsMiB: await contactsMiB(pooled.databases),
      dedicatedContactsMiB: await contactsMiB(dedicated.databases),
    };
    console.log(
      `contacts with their indexes: pooled ${memory.pooledContactsMiB} MiB, dedicated ${memory.dedicatedContactsMiB} MiB; shared_buffers ${memory.sharedBuffersMiB} MiB`,
    );

    const request = (tenants: SeededTenant[]) => () => {
      const tenant = tenants[Math.floor(Math.random() * tenants.length)];
      const owner = tenant.owners[Math.floor(Math.random() * tenant.owners.length)];
      const search = LAST_NAMES[Math.floor(Math.random() * LAST_NAMES.length)].slice(1, 4).toLowerCase();
      return { path: `/api/contacts?limit=50&ownerUserId=${owner}&search=${search}`, headers: { authorization: `Bearer ${tenant.token}` } };
    };
    const targets: Target[] = [
      { name: 'pooled', baseUrl: app.url, next: request(pooled.tenants), probe: postgres.bufferProbe },
      { name: 'pooled-active', baseUrl: app.url, next: request(pooled.tenants.slice(0, dedicatedTenants)), probe: postgres.bufferProbe },
      { name: 'dedicated', baseUrl: app.url, next: request(dedicated.tenants), probe: postgres.bufferProbe },
    ];
    if (previous) {
      previousApp = await startPreviousBeside(app, previous);
      const everyTenant = [...pooled.tenants, ...dedicated.tenants].map((tenant) => ({
        path: '/api/contacts?limit=1',
        headers: { authorization: `Bearer ${tenant.token}` },
      }));
      await openTenantConnections([app, previousApp], everyTenant);
    }
    const results: Record<string, LoadResult> = await measureInRounds(besidePrevious(targets, previousApp), settings, quick ? 1 : 3);
    for (const [name, result] of Object.entries(results)) {
      const pages = result.probed;
      console.log(
        `${name.padEnd(14)} ${String(result.requestsPerSecond).padStart(6)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   errors ${result.errors}   non-2xx ${result.non2xx}` +
          `   pages/request: ${pages?.bufferHitsPerRequest} in shared buffers, ${pages?.bufferMissesPerRequest} outside; disk read ${pages?.diskReadMiB} MiB`,
      );
    }
    const ratio = (pooledResult: LoadResult) => Math.round((pooledResult.p99Ms / results.dedicated.p99Ms) * 100) / 100;
    const p99Ratio = ratio(results.pooled);
    const activeP99Ratio = ratio(results['pooled-active']);
    console.log(
      `p99 pooled-active / dedicated: ${activeP99Ratio} (target <= 1.3: a pooled tenant against a dedicated one, at equal load); ` +
        `pooled / dedicated: ${p99Ratio} (load on all ${pooledTenants} pooled tenants: ${pooledTenants / dedicatedTenants}× the data in use); ` +
        `target p99 < 50 ms at concurrency ${settings.connections}`,
    );
    const againstPrevious = previous ? versusPrevious(results) : undefined;
    if (againstPrevious) printVersusPrevious(againstPrevious);
    const failed = Object.values(results).reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    console.log(
      JSON.stringify({
        bench: 'crm',
        quick,
        pooledTenants,
        dedicatedTenants,
        contactsPerTenant,
        seedSeconds: Math.round(seedSeconds),
        ...settings,
        ...memory,
        previous,
        results,
        p99PooledVsDedicated: p99Ratio,
        p99PooledActiveVsDedicated: activeP99Ratio,
        versusPrevious: againstPrevious,
        failedRequests: failed,
      }),
    );
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await previousApp?.stop();
    await app?.stop();
    await postgres.dispose();
  }
}

/** Creates tenants through the API, then bulk-loads their contacts with SQL straight into their databases. */
async function seed(
  fixtures: TenantFixtures,
  postgres: BenchPostgres,
  placement: 'pooled' | 'dedicated',
  count: number,
  contacts: number,
): Promise<{ tenants: SeededTenant[]; databases: string[] }> {
  const tenants: SeededTenant[] = [];
  const databases = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const tenantId = await fixtures.createTenant(placement);
    const owners = Array.from({ length: OWNERS_PER_TENANT }, () => randomUUID());
    const [{ database }] = await query(
      postgres.controlPlaneUrl,
      'SELECT COALESCE(t.database_name, p.database_name) AS database FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1',
      [tenantId],
    );
    const url = new URL(postgres.adminUrl);
    url.pathname = `/${database}`;
    await query(
      url.toString(),
      `INSERT INTO contacts (tenant_id, first_name, last_name, email, owner_user_id, created_at)
       SELECT $1::uuid, 'First' || i, ($2::text[])[1 + i % 20], 'person' || i || '@example.test', ($3::uuid[])[1 + (i / 20) % 10], now() - i * interval '1 second'
         FROM generate_series(1, $4::int) AS i`,
      [tenantId, LAST_NAMES, owners, contacts],
    );
    // Every tenth contact works at one of the tenant's 100 accounts, so each listed page reads real links.
    await query(
      url.toString(),
      `WITH accounts AS (
         INSERT INTO accounts (tenant_id, name) SELECT $1::uuid, 'Account ' || k FROM generate_series(0, ${ACCOUNTS_PER_TENANT - 1}) AS k RETURNING id, name)
       INSERT INTO contact_accounts (tenant_id, contact_id, account_id, role)
       SELECT $1::uuid, c.id, a.id, 'Buyer'
         FROM contacts c JOIN accounts a ON a.name = 'Account ' || (substr(c.first_name, 6)::int / 10 % ${ACCOUNTS_PER_TENANT})
        WHERE c.tenant_id = $1::uuid AND substr(c.first_name, 6)::int % 10 = 0`,
      [tenantId],
    );
    databases.add(url.toString());
    tenants.push({ token: fixtures.memberToken(tenantId), owners });
  }
  // VACUUM as well: autovacuum would otherwise set about the freshly loaded 10 M rows during the measurement.
  for (const database of databases) await query(database, 'VACUUM ANALYZE contacts, accounts, contact_accounts');
  // And write it all to disk now: otherwise the load's writes were still going out while the pooled
  // tenants were measured (a checkpoint spread over the warm-ups and first rounds).
  // CHECKPOINT needs a superuser or pg_checkpoint; without either the run goes on, and says so.
  await query(postgres.adminUrl, 'CHECKPOINT').catch((error: Error) =>
    console.warn(`CHECKPOINT refused (${error.message}): the seeding's writes may still reach the disk during the measurement`),
  );
  return { tenants, databases: [...databases] };
}

/** The contacts table's size with its indexes, summed over the given databases. */
async function contactsMiB(databases: string[]): Promise<number> {
  let bytes = 0;
  for (const database of databases) bytes += Number((await query(database, "SELECT pg_total_relation_size('contacts') AS bytes"))[0].bytes);
  return Math.round(bytes / 1048576);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
