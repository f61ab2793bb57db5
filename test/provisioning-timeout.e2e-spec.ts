import { Client } from 'pg';
import { adminToken, registerTenant, waitForProvisioning } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A provisioning step held on a lock past the job's timeout. pg-boss fails the job and retries it
 * while the first attempt's handler still runs; the first attempt must be cancelled and fenced
 * off, so exactly one attempt activates the tenant, and the stuck job must not take the
 * connections that serve `/control` and `/health/ready` with it.
 */
describe('a provisioning step stuck past the job timeout', () => {
  // The request pool is tiny on purpose: two stuck control-plane connections would exhaust it.
  const env = {
    QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
    // Long enough for the first attempt to create the database (and its template) before it stops in `defaults`.
    PROVISIONING_JOB_TIMEOUT_SECONDS: '5',
    PROVISIONING_RETRY_DELAY_SECONDS: '1',
    PROVISIONING_CONCURRENCY: '1',
    DATABASE_POOL_SIZE: '2',
  };
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env });
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  it('cancels the timed-out attempt, refuses its late commits, activates once, and keeps /control and readiness answering', async () => {
    const { tenant, plans } = await registerHeldInDefaults(t, admin, 'dedicated');

    const probes = probeContinuously(t.api, admin);
    let answers: Answer[];
    try {
      await until(async () => (await stepStatus(t, tenant.id, 1, 'defaults')) === 'running', 20_000);
      // Held past the first attempt's timeout: the retry's own `defaults` step reaches the same lock.
      await until(async () => (await stepStatus(t, tenant.id, 2, 'defaults')) === 'running', 20_000);
    } finally {
      answers = await probes.stop();
      await release(plans);
    }

    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((answer) => answer.status !== 200 || answer.ms > 2_000)).toEqual([]);

    const provisioned = await waitForProvisioning(t.api, admin, tenant.id, 20_000);
    expect(provisioned.status).toBe('active');
    // Every job of the tenant over, so nothing can still change its status.
    const openJobs = () => t.sql("SELECT 1 FROM pgboss.job WHERE data->>'tenantId' = $1 AND state < 'completed'", [tenant.id]);
    await until(async () => (await openJobs()).length === 0, 20_000);

    const rows = await t.sql<{ attempt: number; step: string; status: string; detail: string; started_at: Date; finished_at: Date | null }>(
      `SELECT attempt, step, status, detail, started_at, finished_at FROM tenant_provisioning_steps
        WHERE tenant_id = $1 ORDER BY attempt, started_at`,
      [tenant.id],
    );
    expect(rows.filter((row) => row.attempt === 1).map((row) => `${row.step}:${row.status}`)).toEqual([
      'place:succeeded',
      'database:succeeded',
      'defaults:failed',
    ]);
    expect(rows.find((row) => row.attempt === 1 && row.step === 'defaults')?.detail).toMatch(/timed out/);
    expect(rows.filter((row) => row.attempt === 2).map((row) => `${row.step}:${row.status}`)).toEqual([
      'place:skipped',
      'database:succeeded',
      'defaults:succeeded',
      'admin:skipped',
      'activate:succeeded',
    ]);
    expect(rows.some((row) => row.attempt > 2)).toBe(false);
    // Nothing the first attempt wrote is later than the second attempt's start.
    const secondStarted = Math.min(...rows.filter((row) => row.attempt === 2).map((row) => row.started_at.getTime()));
    const firstLast = Math.max(...rows.filter((row) => row.attempt === 1).map((row) => (row.finished_at ?? row.started_at).getTime()));
    expect(firstLast).toBeLessThanOrEqual(secondStarted);

    const audit = await t.sql<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = $1 AND action IN ('tenant.activate', 'tenant.provision.failed') ORDER BY id",
      [tenant.id],
    );
    expect(audit.map((row) => row.action)).toEqual(['tenant.activate']);
    const [{ status, database_name: database }] = await t.sql('SELECT status, database_name FROM tenants WHERE id = $1', [tenant.id]);
    expect(status).toBe('active');
    const databases = await onTestServer((client) =>
      client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${database}%`]),
    );
    expect(databases.rows.map((row) => row.datname)).toEqual([database]);
  }, 90_000);
});

describe('the last provisioning attempt stuck past the job timeout', () => {
  const env = {
    QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
    PROVISIONING_JOB_TIMEOUT_SECONDS: '2',
    PROVISIONING_RETRY_LIMIT: '0',
    PROVISIONING_CONCURRENCY: '1',
  };
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env });
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  it('marks the tenant failed, and the cancelled attempt writes nothing once its lock is released; a retry activates it once', async () => {
    const { tenant, plans } = await registerHeldInDefaults(t, admin, 'pooled');
    let failed: Awaited<ReturnType<typeof waitForProvisioning>>;
    try {
      failed = await waitForProvisioning(t.api, admin, tenant.id, 20_000);
    } finally {
      await release(plans);
    }
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/timed out|exceeded/);

    // A first attempt that carried on once the lock was released would have written its last steps before the retry is done.
    expect((await t.api.post(`/control/tenants/${tenant.id}/retry`, undefined, { token: admin })).status).toBe(202);
    const provisioned = await waitForProvisioning(t.api, admin, tenant.id, 20_000);

    expect(provisioned.status).toBe('active');
    const first = provisioned.provisioning.filter((step) => step.attempt === 1).map((step) => step.step);
    expect(first).toEqual(['place', 'database', 'defaults']);
    expect(provisioned.provisioning.find((step) => step.attempt === 1 && step.step === 'defaults')?.status).not.toBe('succeeded');
    // Token 2 went to the dead letter, which superseded attempt 1 when it marked the tenant failed.
    expect([...new Set(provisioned.provisioning.map((step) => step.attempt))]).toEqual([1, 3]);
    expect(provisioned.provisioning.filter((step) => step.attempt === 3).map((step) => `${step.step}:${step.status}`)).toEqual([
      'place:skipped',
      'database:skipped',
      'defaults:succeeded',
      'admin:skipped',
      'activate:succeeded',
    ]);
    const audit = await t.sql<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = $1 AND action IN ('tenant.activate', 'tenant.provision.failed') ORDER BY id",
      [tenant.id],
    );
    expect(audit.map((row) => row.action)).toEqual(['tenant.provision.failed', 'tenant.activate']);
  }, 90_000);
});

/**
 * Registers a tenant whose first attempt will stop inside the `defaults` step (which reads the
 * tenant's plan) until `plans` is released. The worker runs in the test's process and starts at
 * once, so the step records are held until `plans` is held too.
 */
async function registerHeldInDefaults(t: TestApp, admin: string, placement: string) {
  const steps = await lockedClient(t, 'LOCK TABLE tenant_provisioning_steps IN EXCLUSIVE MODE');
  const { tenant } = await registerTenant(t.api, admin, { placement });
  const plans = await lockedClient(t, 'LOCK TABLE plans IN ACCESS EXCLUSIVE MODE');
  await release(steps);
  return { tenant, plans };
}

/** A test connection holding `lockStatement` in an open transaction. */
async function lockedClient(t: TestApp, lockStatement: string): Promise<Client> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(lockStatement);
  return client;
}

async function release(client: Client): Promise<void> {
  await client.query('ROLLBACK');
  await client.end();
}

interface Answer {
  path: string;
  status: number;
  ms: number;
}

/** Asks `/control/tenants` and `/health/ready` one after the other until stopped; each answer with its latency. */
function probeContinuously(api: HttpClient, token: string): { stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [path, options] of [
        ['/control/tenants', { token }],
        ['/health/ready', {}],
      ] as const) {
        const started = Date.now();
        const response = await api.get(path, { ...options, signal: AbortSignal.timeout(5_000) }).catch(() => ({ status: 0 }));
        answers.push({ path, status: response.status, ms: Date.now() - started });
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

async function stepStatus(t: TestApp, tenantId: string, attempt: number, step: string): Promise<string | undefined> {
  const rows = await t.sql('SELECT status FROM tenant_provisioning_steps WHERE tenant_id = $1 AND attempt = $2 AND step = $3', [
    tenantId,
    attempt,
    step,
  ]);
  return rows[0]?.status;
}

async function onTestServer<T>(action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TENANTRY_TEST_ADMIN_URL });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
