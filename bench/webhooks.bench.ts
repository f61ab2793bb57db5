import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { BenchPostgres } from './common/bench-postgres';
import { parseArgs } from './common/load';
import { cpuProbe } from './common/process-cpu';
import { STATEMENT_TIMES_FLAGS, statementTimes } from './common/statement-times';
import { BENCH_ADMIN, call, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';
import { WebhookSink } from './common/webhook-sink';

/**
 * Webhooks under write load, the whole path: 20 pooled tenants create notes over the API (each
 * write one `note.created` event: outbox, relay, event log, delivery row, signed POST), each
 * tenant with one endpoint on a local receiver.
 * 1. Latency: writes at a steady rate (500/s, autocannon's overallRate); for every write, commit
 *    → receipt = the receiver's first arrival of its event − the moment the client had the write's
 *    answer (one clock: the receiver runs in this process). p50/p99, and events delivered per second.
 * 2. Throughput: closed-loop writes (as fast as answered) in interleaved rounds with the endpoints
 *    registered ("on") and deleted ("off": the outbox and relay still run, no delivery is made);
 *    each round's events are drained before the next, so no round pays for another's deliveries.
 * Every event of an "on" write must arrive (lost = 0) and none of an "off" write; any failed
 * request or lost event exits non-zero. The outbox itself cannot be switched off (domain writes
 * append to it in their transaction), so there is no in-run outbox-off baseline.
 * The delivery settings the app runs with are its defaults unless WEBHOOK_DELIVERY_CONCURRENCY,
 * WEBHOOK_ENDPOINT_CONCURRENCY or DATABASE_POOL_SIZE are set in the bench's environment (reported).
 * With --statements, also where PostgreSQL spent its time during the closed-loop rounds, by statement.
 * Run: npm run bench:webhooks [-- --quick] [-- --rate 500] [-- --statements]
 */
const TENANTS = 20;
const DEFAULT_STEADY_PER_SECOND = 500;
const TUNABLES = ['WEBHOOK_DELIVERY_CONCURRENCY', 'WEBHOOK_ENDPOINT_CONCURRENCY', 'DATABASE_POOL_SIZE'];
const CONNECTIONS = 50;
/**
 * How long the events of a phase may take to arrive after its last write before the missing ones
 * count as lost. Generous: an "off" round deletes the endpoints, and with them any delivery still
 * pending, so each "on" phase must drain before the next begins.
 */
const DRAIN_TIMEOUT_MS = 120_000;

interface Tenant {
  id: string;
  token: string;
  endpointId?: string;
}

interface Writes {
  /** Record id → when the client had the answer (performance.now()). */
  committedAt: Map<string, number>;
  result: autocannon.Result;
}

async function main(): Promise<number> {
  const { quick } = parseArgs(process.argv);
  const rateAt = process.argv.indexOf('--rate');
  const steadyPerSecond = rateAt > 0 ? Number(process.argv[rateAt + 1]) : DEFAULT_STEADY_PER_SECOND;
  const tuned = Object.fromEntries(TUNABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
  const steadySeconds = quick ? 5 : 30;
  const roundSeconds = quick ? 3 : 10;
  const rounds = quick ? 1 : 3;
  const withStatements = process.argv.includes('--statements');
  const postgres = await BenchPostgres.start(withStatements ? { serverFlags: STATEMENT_TIMES_FLAGS } : {});
  const sink = await WebhookSink.start();
  let app: TenantryProcess | undefined;
  try {
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        LOG_LEVEL: 'error',
        ...tuned,
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, TENANTS + 5);
    const tenants: Tenant[] = [];
    for (let i = 0; i < TENANTS; i += 1) {
      const id = await fixtures.createTenant('pooled');
      tenants.push({ id, token: fixtures.memberToken(id) });
    }
    const url = app.url;
    const subscribe = () => Promise.all(tenants.map((tenant) => subscribeTenant(url, sink, tenant)));
    const unsubscribe = () => Promise.all(tenants.map((tenant) => unsubscribeTenant(url, tenant)));

    let failedRequests = 0;
    const expected = new Set<string>();
    const unexpected = new Set<string>();
    const measureCpu = cpuProbe(app.pid, await postgres.serverPid());
    /** A phase's writes and the CPU they cost until every one was delivered (on) or recorded (off), per write. */
    const run = async (options: { on: boolean; seconds: number; perSecond?: number }) => {
      const recordedBefore = options.on ? 0 : await lastRecordedSeq(postgres.controlPlaneUrl);
      const finishCpu = await measureCpu();
      const writes = await write(url, tenants, options.seconds, options.perSecond);
      const { errors, timeouts, non2xx } = writes.result;
      failedRequests += errors + timeouts + non2xx;
      for (const id of writes.committedAt.keys()) (options.on ? expected : unexpected).add(id);
      if (options.on) await sink.waitForAll(writes.committedAt.keys(), DRAIN_TIMEOUT_MS);
      // Endpoints match events when the control plane records them: an "off" write still on its way
      // there when the next phase registers the endpoints again would be delivered.
      else await untilRecorded(postgres.controlPlaneUrl, recordedBefore, [...writes.committedAt.keys()]);
      return { ...writes, cpu: await finishCpu(writes.committedAt.size) };
    };

    await subscribe();
    await run({ on: true, seconds: quick ? 1 : 5 }); // warm-up: pools, caches, JIT, the queue's tables

    const steady = await run({ on: true, seconds: steadySeconds, perSecond: steadyPerSecond });
    const latency = commitToReceipt(steady.committedAt, sink.firstReceivedAt);
    const stages = await deliveryStages(postgres.controlPlaneUrl);
    const failedBecause = await failedAttempts(postgres.controlPlaneUrl);

    const readStatements = withStatements ? await statementTimes(postgres.adminUrl, 20) : undefined;
    const throughput: Record<'on' | 'off', number[]> = { on: [], off: [] };
    const cpuUsPerWrite: Record<'on' | 'off', Array<Record<string, number>>> = { on: [], off: [] };
    const deliveredPerSecondClosedLoop: number[] = [];
    let subscribed = true;
    for (let round = 0; round < rounds; round += 1) {
      for (const on of round % 2 === 0 ? [true, false] : [false, true]) {
        if (on !== subscribed) await (on ? subscribe() : unsubscribe());
        subscribed = on;
        const writes = await run({ on, seconds: roundSeconds });
        throughput[on ? 'on' : 'off'].push(Math.round(writes.result.requests.total / roundSeconds));
        cpuUsPerWrite[on ? 'on' : 'off'].push(writes.cpu);
        if (on) deliveredPerSecondClosedLoop.push(commitToReceipt(writes.committedAt, sink.firstReceivedAt).eventsPerSecond);
      }
    }
    if (readStatements) {
      console.log('PostgreSQL during the closed-loop rounds (on and off), by statement: ms, calls, rows');
      for (const { ms, calls, rows, statement } of await readStatements()) console.log(`${ms}\t${calls}\t${rows}\t${statement}`);
    }
    // Events of "off" rounds must never arrive; give stragglers the time a late one would take.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const lost = (await sink.waitForAll(expected, DRAIN_TIMEOUT_MS)).length;
    const attempts = { ...(await attemptTimes(url)), failedInSteadyPhaseBecause: failedBecause };
    const deliveredWhileOff = [...unexpected].filter((id) => sink.firstReceivedAt.has(id)).length;
    const results = {
      steady: {
        targetPerSecond: steadyPerSecond,
        writesPerSecond: Math.round(steady.result.requests.total / steadySeconds),
        writeP99Ms: steady.result.latency.p99,
        ...latency,
        stages,
      },
      closedLoop: {
        writesPerSecondOn: median(throughput.on),
        writesPerSecondOff: median(throughput.off),
        deliveredPerSecondOn: median(deliveredPerSecondClosedLoop),
        cpuUsPerWriteOn: medianCpu(cpuUsPerWrite.on),
        cpuUsPerWriteOff: medianCpu(cpuUsPerWrite.off),
      },
      attempts,
    };
    const serverCpu = (cpu: CpuPerWrite) => cpu.app + (cpu.postgres ?? 0);
    const ratios = {
      writeThroughputOnVsOff: round2(results.closedLoop.writesPerSecondOn / results.closedLoop.writesPerSecondOff),
      serverCpuPerWriteOffVsOn: round2(serverCpu(results.closedLoop.cpuUsPerWriteOff) / serverCpu(results.closedLoop.cpuUsPerWriteOn)),
    };
    console.log(
      `steady ${results.steady.writesPerSecond}/s (target ${steadyPerSecond}): commit→receipt p50 ${latency.p50Ms} ms  p99 ${latency.p99Ms} ms ` +
        `(goal < 1000)  delivered ${latency.eventsPerSecond} events/s`,
    );
    console.log(
      `closed loop: ${results.closedLoop.writesPerSecondOn} writes/s with webhooks, ${results.closedLoop.writesPerSecondOff} without: ` +
        `${ratios.writeThroughputOnVsOff} (goal >= 0.9); delivered ${results.closedLoop.deliveredPerSecondOn} events/s`,
    );
    console.log(
      `CPU per write until delivered, app + PostgreSQL: ${serverCpu(results.closedLoop.cpuUsPerWriteOn)} µs with webhooks, ` +
        `${serverCpu(results.closedLoop.cpuUsPerWriteOff)} µs without: off/on ${ratios.serverCpuPerWriteOffVsOn} ` +
        `(the throughput ratio if the server had the cores to itself; bench process ${results.closedLoop.cpuUsPerWriteOn.bench} / ` +
        `${results.closedLoop.cpuUsPerWriteOff.bench} µs)`,
    );
    console.log(
      `events expected ${expected.size}, lost ${lost} (must be 0), delivered twice ${sink.duplicates}, delivered while off ` +
        `${deliveredWhileOff} (must be 0); failed requests ${failedRequests} (must be 0)`,
    );
    const settings = { tenants: TENANTS, connections: CONNECTIONS, steadySeconds, roundSeconds, rounds, appSettings: tuned };
    console.log(
      JSON.stringify({
        bench: 'webhooks',
        quick,
        ...settings,
        results,
        ratios,
        events: expected.size,
        lost,
        duplicates: sink.duplicates,
        deliveredWhileOff,
        failedRequests,
      }),
    );
    return failedRequests + lost + deliveredWhileOff > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await sink.close();
    await postgres.dispose();
  }
}

async function subscribeTenant(url: string, sink: WebhookSink, tenant: Tenant): Promise<void> {
  const endpoint = await call(url, 'POST', '/api/webhooks', { url: `${sink.baseUrl}/${tenant.id}`, eventTypes: ['note.*'] }, tenant.token);
  tenant.endpointId = endpoint.id as string;
}

async function unsubscribeTenant(url: string, tenant: Tenant): Promise<void> {
  const response = await fetch(`${url}/api/webhooks/${tenant.endpointId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${tenant.token}` },
  });
  if (response.status !== 204)
    throw new Error(`deleting the endpoint of ${tenant.id} answered ${response.status}: ${await response.text()}`);
}

/**
 * POSTs notes of random tenants for `seconds`: at `perSecond` overall if given, else as fast as
 * answered; notes when each write's answer arrived, by the note's id.
 */
async function write(url: string, tenants: Tenant[], seconds: number, perSecond?: number): Promise<Writes> {
  const committedAt = new Map<string, number>();
  const body = JSON.stringify({ title: 'webhook benchmark', body: 'x'.repeat(200) });
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    ...(perSecond && { overallRate: perSecond }),
    requests: [
      {
        setupRequest: (request) => {
          const tenant = tenants[Math.floor(Math.random() * tenants.length)];
          return {
            ...request,
            method: 'POST',
            path: '/api/notes',
            headers: { ...request.headers, authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
            body,
          };
        },
        onResponse: (status, responseBody) => {
          if (status === 201) committedAt.set(String((JSON.parse(responseBody) as { id: string }).id), performance.now());
        },
      },
    ],
  });
  return { committedAt, result };
}

/** From the app's metrics, over the whole run: the successful delivery attempts and the mean time of their POST. */
async function attemptTimes(url: string): Promise<{ postMeanMs: number; delivered: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (suffix: string) =>
    Number(
      new RegExp(`^tenantry_webhook_delivery_attempt_duration_seconds_${suffix}\\{outcome="delivered"\\} (\\S+)$`, 'm').exec(text)?.[1] ??
        NaN,
    );
  return { postMeanMs: Math.round((value('sum') / value('count')) * 1000), delivered: value('count') };
}

/**
 * Where the time of the deliveries so far went, from the rows' own clocks (p50 and p99, ms): the
 * event raised → recorded in the control plane (relay), delivery created → its first attempt
 * started (queue), the POST itself, and raised → delivery finished (all of it, server side).
 */
async function deliveryStages(controlPlaneUrl: string): Promise<Record<string, number[]>> {
  const client = new Client({ connectionString: controlPlaneUrl });
  await client.connect();
  const percentiles = (expression: string) =>
    `(SELECT array_agg(round(p)) FROM unnest(percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY ${expression})) p)`;
  const ms = (from: string, to: string) => `extract(epoch FROM ${to} - ${from}) * 1000`;
  try {
    const { rows } = await client.query(
      `SELECT ${percentiles(ms('e.occurred_at', 'e.recorded_at'))} AS relay, ${percentiles(ms('d.created_at', 'a.started_at'))} AS queue,
              ${percentiles('a.duration_ms')} AS post, ${percentiles(ms('e.occurred_at', 'd.finished_at'))} AS total
         FROM domain_events e JOIN webhook_deliveries d ON d.event_id = e.id
         JOIN webhook_delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1
        WHERE e.type = 'note.created'`,
    );
    return rows[0] as Record<string, number[]>;
  } finally {
    await client.end();
  }
}

/** The control plane's last recorded event so far. */
async function lastRecordedSeq(controlPlaneUrl: string): Promise<number> {
  const client = new Client({ connectionString: controlPlaneUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM domain_events');
    return Number(rows[0].seq ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Polls until the control plane has recorded the events of these notes, for at most
 * DRAIN_TIMEOUT_MS. By id: writes cut off by a round's end are recorded too, but counted nowhere.
 */
async function untilRecorded(controlPlaneUrl: string, recordedBefore: number, noteIds: string[]): Promise<void> {
  const client = new Client({ connectionString: controlPlaneUrl });
  await client.connect();
  try {
    for (const deadline = performance.now() + DRAIN_TIMEOUT_MS; performance.now() < deadline;) {
      // Only the events recorded since the phase began are read: the poll's own cost stays out of the phase's CPU.
      const { rows } = await client.query<{ recorded: number }>(
        `SELECT count(*)::int AS recorded FROM domain_events
          WHERE seq > $1 AND type = 'note.created' AND data->'record'->>'id' = ANY($2::text[])`,
        [recordedBefore, noteIds],
      );
      if (rows[0].recorded >= noteIds.length) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** Attempts that did not succeed (retried later: they add seconds to commit → receipt), by reason. */
async function failedAttempts(controlPlaneUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: controlPlaneUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ reason: string; count: number }>(
      `SELECT coalesce(error, 'HTTP ' || status_code) AS reason, count(*)::int AS count FROM webhook_delivery_attempts
        WHERE error IS NOT NULL OR status_code NOT BETWEEN 200 AND 299 GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
    );
    return Object.fromEntries(rows.map((row) => [row.reason, row.count]));
  } finally {
    await client.end();
  }
}

/** Percentiles of receipt − commit over the writes whose event arrived, and events delivered per second over the phase. */
function commitToReceipt(committedAt: Map<string, number>, receivedAt: Map<string, number>) {
  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (const [id, committed] of committedAt) {
    const received = receivedAt.get(id);
    if (received === undefined) continue;
    latencies.push(received - committed);
    first = Math.min(first, committed);
    last = Math.max(last, received);
  }
  latencies.sort((a, b) => a - b);
  const at = (share: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? NaN);
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1), eventsPerSecond: Math.round(latencies.length / ((last - first) / 1000)) };
}

interface CpuPerWrite {
  app: number;
  postgres?: number;
  /** This process: the load generator and the receiver. */
  bench: number;
}

/** Each figure's median over the rounds of one side. */
function medianCpu(rounds: Array<Record<string, number>>): CpuPerWrite {
  const of = (key: string) => median(rounds.map((round) => round[key]));
  return {
    app: of('appCpuUsPerRequest'),
    ...(rounds[0]?.postgresCpuUsPerRequest !== undefined && { postgres: of('postgresCpuUsPerRequest') }),
    bench: of('loadGeneratorCpuUsPerRequest'),
  };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

// Exits explicitly: embedded PostgreSQL's exit hook would otherwise end the process with 0 whatever exitCode says.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
