import { join } from 'node:path';
import { migrateTenantDatabase } from '../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
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
 * Routing overhead: an authenticated GET reading one row by id.
 *   single-tenant  — JWT check + one singleton DataSource (what a single-tenant app would do)
 *   request-scoped — the same through a Nest Scope.REQUEST provider chain
 *   tenantry       — /api/notes/:id across 20 dedicated tenants: resolution, cache, registry,
 *                    tenant-bound connections, row-level security (the target: ≥ 0.90)
 *   tenantryOne    — the same route for one dedicated tenant: the routing code alone, without
 *                    the cost of 20 databases' pools and backends sharing the machine
 *   authDirect / authPassport / authPassportJwt — the single-tenant GET authenticated by the
 *                    verifier called directly, by @nestjs/passport over it (the `access-token`
 *                    strategy), and by @nestjs/passport with passport-jwt; whoami* the same three
 *                    on a route answering from memory, where authentication is most of the work
 *                    (bench/routing/authentication-paths.module.ts)
 * With `--previous <checkout>` the two Tenantry targets also run on that checkout's build, as a second
 * process serving the same tenants (optionally on its own `--previous-node`): `versusPrevious` gives
 * this build's figures over the previous one's.
 * Run: npm run bench:routing [-- --quick] [-- --previous ../main-before --previous-node /usr/bin/node]
 */
const TENANTS = 20;

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const previous = previousBuildOf(process.argv);
  const settings: LoadSettings = quick
    ? { durationSeconds: 4, connections: 20, warmupSeconds: 2 }
    : { durationSeconds: 8, connections: 20, warmupSeconds: 4 };
  const rounds = quick ? 1 : 3;
  // Two Tenantry processes with --previous, each with its own pools to every tenant database.
  const postgres = await BenchPostgres.start(previous ? { maxConnections: 250 } : {});
  let app: TenantryProcess | undefined;
  let previousApp: TenantryProcess | undefined;
  try {
    const singleTenantUrl = await singleTenantDatabase(postgres);
    process.env.BENCH_SINGLE_TENANT_DATABASE_URL = singleTenantUrl.url;
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password, TENANT_CONNECTION_BUDGET: '60' },
      extraModuleFiles: [
        join(__dirname, 'routing', 'single-tenant-baseline.module.js'),
        join(__dirname, 'routing', 'authentication-paths.module.js'),
      ],
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, TENANTS + 10);
    const targets: Array<{ token: string; noteId: string }> = [];
    for (let i = 0; i < TENANTS; i += 1) {
      const token = fixtures.memberToken(await fixtures.createTenant('dedicated'));
      targets.push({ token, noteId: await fixtures.createNote(token) });
    }
    const baselineToken = fixtures.memberToken('00000000-0000-4000-8000-000000000000');
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    const url = app.url;
    const tenantryTargets: Target[] = [
      { name: 'tenantryOne', baseUrl: url, next: () => ({ path: `/api/notes/${targets[0].noteId}`, headers: auth(targets[0].token) }) },
      {
        name: 'tenantry',
        baseUrl: url,
        next: () => {
          const target = targets[Math.floor(Math.random() * targets.length)];
          return { path: `/api/notes/${target.noteId}`, headers: auth(target.token) };
        },
      },
    ];
    if (previous) {
      previousApp = await startPreviousBeside(app, previous);
      const everyTenant = targets.map((target) => ({ path: `/api/notes/${target.noteId}`, headers: auth(target.token) }));
      await openTenantConnections([app, previousApp], everyTenant);
    }
    const results: Record<string, LoadResult> = await measureInRounds(
      [
        {
          name: 'singleTenant',
          baseUrl: url,
          next: () => ({ path: `/bench/single-tenant/notes/${singleTenantUrl.noteId}`, headers: auth(baselineToken) }),
        },
        {
          name: 'requestScoped',
          baseUrl: url,
          next: () => ({ path: `/bench/request-scoped/notes/${singleTenantUrl.noteId}`, headers: auth(baselineToken) }),
        },
        ...authTargets(url, 'auth', `notes/${singleTenantUrl.noteId}`, auth(baselineToken)),
        ...authTargets(url, 'whoami', 'whoami', auth(baselineToken)),
        ...besidePrevious(tenantryTargets, previousApp),
      ],
      settings,
      rounds,
    );

    const ratios = {
      tenantryVsSingleTenant: round(results.tenantry.requestsPerSecond / results.singleTenant.requestsPerSecond),
      oneTenantVsSingleTenant: round(results.tenantryOne.requestsPerSecond / results.singleTenant.requestsPerSecond),
      requestScopedVsSingleton: round(results.requestScoped.requestsPerSecond / results.singleTenant.requestsPerSecond),
      passportVsDirectVerifier: round(results.authPassport.requestsPerSecond / results.authDirect.requestsPerSecond),
      passportJwtVsDirectVerifier: round(results.authPassportJwt.requestsPerSecond / results.authDirect.requestsPerSecond),
      whoamiPassportVsDirectVerifier: round(results.whoamiPassport.requestsPerSecond / results.whoamiDirect.requestsPerSecond),
      whoamiPassportJwtVsDirectVerifier: round(results.whoamiPassportJwt.requestsPerSecond / results.whoamiDirect.requestsPerSecond),
    };
    for (const [name, result] of Object.entries(results)) {
      console.log(
        `${name.padEnd(18)} ${String(result.requestsPerSecond).padStart(6)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   errors ${result.errors}   non-2xx ${result.non2xx}`,
      );
    }
    console.log(
      `tenantry / single-tenant: ${ratios.tenantryVsSingleTenant} (target >= 0.90)   one tenant / single-tenant: ${ratios.oneTenantVsSingleTenant}   request-scoped / singleton: ${ratios.requestScopedVsSingleton}`,
    );
    console.log(
      `vs the direct verifier (cost above 5%: below 0.95) — note GET: passport ${ratios.passportVsDirectVerifier}, passport-jwt ${ratios.passportJwtVsDirectVerifier}; ` +
        `whoami: passport ${ratios.whoamiPassportVsDirectVerifier}, passport-jwt ${ratios.whoamiPassportJwtVsDirectVerifier}`,
    );
    const againstPrevious = previous ? versusPrevious(results) : undefined;
    if (againstPrevious) printVersusPrevious(againstPrevious);
    const failed = Object.values(results).reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    const run = { bench: 'routing', quick, tenants: TENANTS, rounds, ...settings, previous };
    console.log(JSON.stringify({ ...run, results, ratios, versusPrevious: againstPrevious, failedRequests: failed }));
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await previousApp?.stop();
    await app?.stop();
    await postgres.dispose();
  }
}

/** A plain database with the tenant schema and one note, for the single-tenant baseline. */
async function singleTenantDatabase(postgres: BenchPostgres): Promise<{ url: string; noteId: string }> {
  const url = await postgres.createDatabase('single');
  const parsed = new URL(url);
  await migrateTenantDatabase(
    {
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      database: parsed.pathname.slice(1),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      appRole: decodeURIComponent(parsed.username),
    },
    TENANT_MIGRATIONS,
  );
  const [note] = await query(
    url,
    "INSERT INTO notes (tenant_id, title, body) VALUES (gen_random_uuid(), 'benchmark note', repeat('x', 200)) RETURNING id",
  );
  return { url, noteId: note.id };
}

/** One target per way of authenticating (see bench/routing/authentication-paths.module.ts), named prefix + Direct|Passport|PassportJwt. */
function authTargets(baseUrl: string, prefix: string, route: string, headers: Record<string, string>) {
  return (
    [
      ['Direct', 'direct'],
      ['Passport', 'passport'],
      ['PassportJwt', 'passport-jwt'],
    ] as const
  ).map(([suffix, path]) => ({ name: `${prefix}${suffix}`, baseUrl, next: () => ({ path: `/bench/auth/${path}/${route}`, headers }) }));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
