import { BenchPostgres } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { BENCH_ADMIN, call, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * Invoice creation under concurrency: bursts of 200 simultaneous POST /api/invoices with 5 lines
 * each, spread over 20 tenants (10 pooled, 10 dedicated), so every tenant's number counter is
 * contended. Baseline, in the same run: the same bursts creating deals with 5 line items (the same
 * write path without a number counter). Afterwards every tenant's invoices (the warm-up burst's too) are
 * read back through the API and their numbers must be exactly 1…N.
 * Run: npm run bench:invoices [-- --quick]   (full: 5 bursts of each, interleaved; quick: 2)
 */
const BURST = 200;
const TENANTS_PER_PLACEMENT = 10;

interface Burst {
  seconds: number;
  latenciesMs: number[];
  failed: number;
}

interface Summary {
  created: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const rounds = quick ? 2 : 5;
  const postgres = await BenchPostgres.start();
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        TENANT_CONNECTION_BUDGET: '60',
        TENANT_DATABASE_POOL_SIZE: '3',
        POOLED_DATABASE_POOL_SIZE: '20',
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, 2 * TENANTS_PER_PLACEMENT + 10);
    const tokens: string[] = [];
    for (const placement of ['pooled', 'dedicated'] as const) {
      for (let i = 0; i < TENANTS_PER_PLACEMENT; i += 1) tokens.push(await enterpriseTenant(app.url, fixtures, placement));
    }

    const invoiceBody = {
      lines: Array.from({ length: 5 }, (_, i) => ({
        description: `Service ${i + 1}`,
        quantity: '1.25',
        unitPriceMinor: 9_999 + i,
        taxRate: '19',
      })),
    };
    const dealBody = {
      name: 'Bench deal',
      lineItems: Array.from({ length: 5 }, (_, i) => ({ description: `Service ${i + 1}`, quantity: 1, unitPriceMinor: 9_999 + i })),
    };
    // One unmeasured burst of each opens the tenants' connections and warms the caches.
    await burst(app.url, '/api/deals', dealBody, tokens);
    await burst(app.url, '/api/invoices', invoiceBody, tokens);
    const invoices: Burst[] = [];
    const deals: Burst[] = [];
    for (let round = 0; round < rounds; round += 1) {
      deals.push(await burst(app.url, '/api/deals', dealBody, tokens));
      invoices.push(await burst(app.url, '/api/invoices', invoiceBody, tokens));
    }
    const results = { invoices: summarize(invoices), deals: summarize(deals) };
    for (const [name, result] of Object.entries(results)) {
      console.log(
        `${name.padEnd(9)} ${result.created} created, ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, failed ${result.failed}`,
      );
    }
    const numbering = await checkNumbering(app.url, tokens);
    console.log(
      `numbering: ${numbering.invoices} invoices in ${tokens.length} tenants, ${numbering.problems.length} tenants with gaps or duplicates`,
    );
    for (const problem of numbering.problems) console.error(problem);
    const ratio = Math.round((results.invoices.perSecond / results.deals.perSecond) * 100) / 100;
    console.log(`invoices/s ÷ deals/s (the cost of the number counter and exact totals): ${ratio}`);
    const failed = results.invoices.failed + results.deals.failed;
    console.log(
      JSON.stringify({
        bench: 'invoices',
        quick,
        burst: BURST,
        rounds,
        tenants: tokens.length,
        ...results,
        throughputVsDeals: ratio,
        numberingProblems: numbering.problems.length,
        failed,
      }),
    );
    process.exitCode = failed > 0 || numbering.problems.length > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

/** An enterprise tenant with the settings billing needs and the invoices module enabled. */
async function enterpriseTenant(baseUrl: string, fixtures: TenantFixtures, placement: 'pooled' | 'dedicated'): Promise<string> {
  const token = fixtures.memberToken(await fixtures.createTenant(placement, 'enterprise'));
  await call(baseUrl, 'PATCH', '/api/tenant/settings', { currency: 'EUR', address: '1 Bench Street' }, token);
  await call(baseUrl, 'PUT', '/api/tenant/modules/invoices', undefined, token);
  return token;
}

/** BURST requests at once, round-robin over the tenants; each request's latency is kept. */
async function burst(baseUrl: string, path: string, body: object, tokens: string[]): Promise<Burst> {
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const sent = performance.now();
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      return { ok: response?.status === 201, ms: performance.now() - sent };
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    latenciesMs: outcomes.map((outcome) => outcome.ms),
    failed: outcomes.filter((outcome) => !outcome.ok).length,
  };
}

function summarize(bursts: Burst[]): Summary {
  const latencies = bursts.flatMap((b) => b.latenciesMs).sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))]);
  const failed = bursts.reduce((sum, b) => sum + b.failed, 0);
  const seconds = bursts.reduce((sum, b) => sum + b.seconds, 0);
  return {
    created: latencies.length - failed,
    perSecond: Math.round((latencies.length - failed) / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    failed,
  };
}

/** Every tenant's invoice numbers, read through the API, must be exactly 1…N. */
async function checkNumbering(baseUrl: string, tokens: string[]): Promise<{ invoices: number; problems: string[] }> {
  let invoices = 0;
  const problems: string[] = [];
  for (const [index, token] of tokens.entries()) {
    const numbers: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ number: number }>; nextCursor: string | null } = await call(
        baseUrl,
        'GET',
        `/api/invoices?kind=invoice&sort=number&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        token,
      );
      numbers.push(...page.items.map((item) => item.number));
      cursor = page.nextCursor;
    } while (cursor);
    invoices += numbers.length;
    const wrong = numbers.findIndex((number, position) => number !== position + 1);
    if (wrong !== -1) problems.push(`tenant ${index}: number ${numbers[wrong]} at position ${wrong + 1} of ${numbers.length}`);
  }
  return { invoices, problems };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
