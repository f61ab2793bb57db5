import { performance } from 'node:perf_hooks';
import { BenchPostgres, query } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { BENCH_ADMIN, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * An online tenant move under load: a pooled tenant with N contacts (100,000; 10,000 with
 * --quick), each linked to one of N/10 accounts, is moved pooled → dedicated and back while a
 * client writes contacts to it steadily and keeps a ledger, and 5 other tenants are read steadily.
 * Reported per move: total time, write-freeze duration (goal < 1 s), the copy method that ran;
 * writes lost (goal 0: every write answered 201 is there after both moves, nothing else is); the
 * other tenants' p99 during the moves vs before. The embedded server runs with wal_level=logical
 * (a DATABASE_URL server without it makes the moves copy under the freeze, as the result says).
 * Run: npm run bench:move [-- --quick]
 */
const OTHER_TENANTS = 5;
const READERS = 4;
const WRITES_PER_SECOND = 20;

interface MoveResult {
  to: string;
  status: string;
  copyMethod: string | null;
  totalMs: number;
  freezeMs: number | null;
  failureReason: string | null;
  /** How long each step inside the freeze took (ms): where the freeze goes. */
  frozenSteps: Record<string, number | null>;
  moveId: string;
}

const FROZEN_STEPS = ['freeze', 'final_catch_up', 'verify', 'switch'];

interface Latencies {
  samples: number[];
  failed: number;
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const contacts = quick ? 10_000 : 100_000;
  const baselineSeconds = quick ? 3 : 10;
  const postgres = await BenchPostgres.start({ serverFlags: ['-c', 'wal_level=logical'] });
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        TENANT_MOVE_RETENTION_SECONDS: '1',
        QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    const { serverId, poolId } = await fixtures.registerInfrastructure(postgres.adminUrl, 50);
    const subject = await fixtures.createTenant('pooled', 'enterprise');
    const subjectToken = fixtures.memberToken(subject);
    const others: Array<{ path: string; token: string }> = [];
    for (let i = 0; i < OTHER_TENANTS; i += 1) {
      const id = await fixtures.createTenant('pooled');
      const token = fixtures.memberToken(id);
      others.push({ path: `/api/notes/${await fixtures.createNote(token)}`, token });
    }
    const [{ database_name: poolDatabase }] = await query(
      postgres.controlPlaneUrl,
      'SELECT database_name FROM tenant_pools WHERE id = $1',
      [poolId],
    );
    const poolUrl = databaseUrl(postgres.adminUrl, poolDatabase);
    const seedStarted = performance.now();
    await seed(poolUrl, subject, contacts);
    console.log(`seeded ${contacts} contacts and ${contacts / 10} accounts in ${Math.round(performance.now() - seedStarted)} ms`);

    const writer = ledgerWriter(app.url, subjectToken);
    const before = await readLoad(app.url, others, () => sleep(baselineSeconds * 1000));
    const moves: MoveResult[] = [];
    const during = await readLoad(app.url, others, async () => {
      for (const body of [
        { placement: 'dedicated', databaseServerId: serverId },
        { placement: 'pooled', poolId },
      ]) {
        const started = performance.now();
        const move = await fixtures.control('POST', `/control/tenants/${subject}/moves`, body);
        const done = await settled(fixtures, subject, move.id);
        moves.push({
          to: body.placement,
          status: done.status,
          copyMethod: done.copyMethod,
          totalMs: Math.round(performance.now() - started),
          freezeMs: done.freezeMs,
          failureReason: done.failureReason,
          frozenSteps: Object.fromEntries(
            FROZEN_STEPS.map((name) => [
              name,
              done.steps.findLast((step: { step: string; durationMs: number | null }) => step.step === name)?.durationMs ?? null,
            ]),
          ),
          moveId: move.id,
        });
      }
    });
    const ledger = await writer.stop();

    const rows = await query(poolUrl, 'SELECT id::text FROM contacts WHERE tenant_id = $1', [subject]);
    const present = new Set(rows.map((row) => row.id as string));
    const lost = ledger.written.filter((id) => !present.has(id)).length;
    const unexpected = rows.length - contacts - ledger.written.length + lost;
    const removed = await oldCopiesRemoved(
      fixtures,
      subject,
      moves.map((move) => move.moveId),
    );

    const results = {
      moves: moves.map(({ moveId: _moveId, ...move }) => move),
      writes: { answered201: ledger.written.length, answered503: ledger.refused, otherFailures: ledger.failures.length, lost, unexpected },
      othersP99Ms: { before: p99(before.samples), during: p99(during.samples) },
      othersFailed: before.failed + during.failed,
      oldCopiesRemoved: removed,
    };
    const ratios = { othersP99DuringVsBefore: round2(results.othersP99Ms.during / results.othersP99Ms.before) };
    for (const move of results.moves) {
      console.log(
        `→ ${move.to.padEnd(9)} ${move.status} by ${move.copyMethod}: total ${move.totalMs} ms, writes frozen ${move.freezeMs ?? '?'} ms (goal < 1000)`,
      );
    }
    console.log(
      `writes: ${ledger.written.length} answered 201, ${ledger.refused} answered 503, ${ledger.failures.length} other failures; ` +
        `lost ${lost} (goal 0), present without a 201 ${unexpected}`,
    );
    console.log(
      `other tenants' p99: before ${results.othersP99Ms.before} ms, during ${results.othersP99Ms.during} ms (×${ratios.othersP99DuringVsBefore})`,
    );
    if (ledger.failures.length > 0) console.log(`first failure: ${ledger.failures[0]}`);
    const ok =
      moves.every((move) => move.status === 'completed') &&
      lost === 0 &&
      unexpected === 0 &&
      ledger.failures.length === 0 &&
      results.othersFailed === 0;
    console.log(
      JSON.stringify({
        bench: 'move',
        quick,
        contacts,
        writesPerSecond: WRITES_PER_SECOND,
        otherTenants: OTHER_TENANTS,
        ...results,
        ratios,
        ok,
      }),
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await app?.stop();
    await postgres.dispose();
  }
}

/** N contacts and N/10 accounts, every contact linked to one account: rows written straight into the pool, as a grown tenant has them. */
async function seed(poolUrl: string, tenantId: string, contacts: number): Promise<void> {
  await query(
    poolUrl,
    `INSERT INTO accounts (tenant_id, name, domain) SELECT $1, 'Account ' || i, 'a' || i || '.example' FROM generate_series(1, $2::int) i`,
    [tenantId, contacts / 10],
  );
  await query(
    poolUrl,
    `INSERT INTO contacts (tenant_id, first_name, last_name, email, job_title)
       SELECT $1, 'First' || i, 'Last' || i, 'c' || i || '@bench.example', 'Role ' || (i % 50) FROM generate_series(1, $2::int) i`,
    [tenantId, contacts],
  );
  await query(
    poolUrl,
    `INSERT INTO contact_accounts (tenant_id, contact_id, account_id, role)
       SELECT $1, c.id, a.id, 'member' FROM
         (SELECT id, row_number() OVER (ORDER BY id) AS n FROM contacts WHERE tenant_id = $1) c
         JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts WHERE tenant_id = $1) a ON a.n = 1 + (c.n % $2::int)`,
    [tenantId, contacts / 10],
  );
}

/** POSTs contacts at a steady rate until stopped; what was answered 201 must be there after the moves. */
function ledgerWriter(baseUrl: string, token: string) {
  const written: string[] = [];
  const failures: string[] = [];
  let refused = 0;
  let stopped = false;
  const running = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const next = performance.now() + 1000 / WRITES_PER_SECOND;
      const response = await fetch(`${baseUrl}/api/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ firstName: `Ledger${i}`, lastName: 'Writer' }),
      });
      const body = (await response.json()) as { id?: string };
      if (response.status === 201 && body.id) written.push(body.id);
      else if (response.status === 503 && response.headers.get('retry-after')) refused += 1;
      else failures.push(`${response.status} ${JSON.stringify(body)}`);
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return { written, failures, refused };
    },
  };
}

/** Reads the other tenants' notes from READERS loops while `during` runs; every latency is kept. */
async function readLoad(baseUrl: string, targets: Array<{ path: string; token: string }>, during: () => Promise<void>): Promise<Latencies> {
  const result: Latencies = { samples: [], failed: 0 };
  let stopped = false;
  const loops = Array.from({ length: READERS }, async (_, reader) => {
    for (let i = reader; !stopped; i += 1) {
      const target = targets[i % targets.length];
      const started = performance.now();
      const response = await fetch(`${baseUrl}${target.path}`, { headers: { authorization: `Bearer ${target.token}` } });
      await response.arrayBuffer();
      result.samples.push(performance.now() - started);
      if (response.status !== 200) result.failed += 1;
    }
  });
  try {
    await during();
  } finally {
    stopped = true;
    await Promise.all(loops);
  }
  return result;
}

async function settled(fixtures: TenantFixtures, tenantId: string, moveId: string): Promise<any> {
  for (;;) {
    const move = await fixtures.control('GET', `/control/tenants/${tenantId}/moves/${moveId}`);
    if (['completed', 'failed', 'abandoned'].includes(move.status)) return move;
    await sleep(50);
  }
}

/** Waits (up to 30 s) for the old copies' removal after their one-second retention. */
async function oldCopiesRemoved(fixtures: TenantFixtures, tenantId: string, moveIds: string[]): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const moves = await Promise.all(moveIds.map((id) => fixtures.control('GET', `/control/tenants/${tenantId}/moves/${id}`)));
    if (moves.every((move: { sourceRemovedAt: string | null }) => move.sourceRemovedAt)) return true;
    await sleep(200);
  }
  return false;
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round2(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
