import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { killHard, startAppProcess } from './support/app-process';
import { acceptInvitation, adminToken, registerTenant, waitForProvisioning } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A worker process killed with SIGKILL in the middle of provisioning a tenant: its job expires,
 * another worker reruns it, and the idempotent steps finish what was started — one database,
 * one membership, nothing orphaned.
 */
describe('provisioning after a worker is killed mid-job', () => {
  const queueSettings = {
    QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
    PROVISIONING_JOB_TIMEOUT_SECONDS: '5',
    PROVISIONING_RETRY_DELAY_SECONDS: '1',
  };
  let t: TestApp;
  let admin: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // This process only serves the API; the work happens in child processes.
    t = await startTestApp({ env: { ...queueSettings, QUEUE_WORKER: 'false' } });
    admin = await adminToken(t.api);
  });
  afterAll(async () => {
    await Promise.all(workers.map(killHard));
    await t.close();
  });

  it('completes the tenant on another worker with exactly one database and one admin membership', async () => {
    const { tenant, admin: owner } = await registerTenant(t.api, admin, { placement: 'dedicated' });

    // Hold the plans table so the worker stops inside the `defaults` step, after its database exists.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE plans IN ACCESS EXCLUSIVE MODE');
    try {
      const doomed = startAppProcess(t.databaseUrl, queueSettings);
      workers.push(doomed);
      await until(async () => (await stepStatus(t, tenant.id, 'defaults')) === 'running', 60_000);
      await killHard(doomed);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const [{ database_name: database }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
    expect(await databaseExists(database)).toBe(true);
    expect((await t.sql('SELECT status FROM tenants WHERE id = $1', [tenant.id]))[0].status).toBe('provisioning');

    workers.push(startAppProcess(t.databaseUrl, queueSettings));
    const provisioned = await waitForProvisioning(t.api, admin, tenant.id, 60_000);

    expect(provisioned.status).toBe('active');
    const attempts = [...new Set(provisioned.provisioning.map((step) => step.attempt))];
    expect(attempts).toEqual([1, 2]);
    expect(provisioned.provisioning.filter((step) => step.attempt === 1).map((step) => `${step.step}:${step.status}`)).toEqual([
      'place:succeeded',
      'database:succeeded',
      'defaults:running',
    ]);
    expect(provisioned.provisioning.filter((step) => step.attempt === 2).map((step) => `${step.step}:${step.status}`)).toEqual([
      'place:skipped',
      'database:succeeded',
      'defaults:succeeded',
      'admin:skipped',
      'activate:succeeded',
    ]);
    expect(provisioned.provisioning.find((step) => step.attempt === 2 && step.step === 'database')?.detail).toMatch(/\(existing\)/);
    await acceptInvitation(t.api, owner.email, owner.password);
    expect(await t.sql('SELECT role FROM tenant_memberships WHERE tenant_id = $1', [tenant.id])).toEqual([{ role: 'tenant_admin' }]);
    const orphans = (await t.api.get('/control/provisioning/orphans', { token: admin })).body;
    expect(orphans.flatMap((report: { databases: string[] }) => report.databases)).not.toContain(database);
  }, 120_000);
});

async function stepStatus(t: TestApp, tenantId: string, step: string): Promise<string | undefined> {
  const rows = await t.sql(
    'SELECT status FROM tenant_provisioning_steps WHERE tenant_id = $1 AND step = $2 ORDER BY attempt DESC LIMIT 1',
    [tenantId, step],
  );
  return rows[0]?.status;
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: process.env.TENANTRY_TEST_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
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
