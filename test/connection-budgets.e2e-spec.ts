import { ChildProcess, ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { killHard, startAppProcess } from './support/app-process';
import { adminToken, unique } from './support/factories';
import { startTestApp, TEST_ADMIN, TEST_JWT_SECRET, TEST_SECRETS_KEYS, TestApp } from './support/test-app';

/** Fast heartbeats, so a dead process is dropped within a second. */
const HEARTBEATS = { APP_PROCESS_HEARTBEAT_MS: '200', APP_PROCESS_STALE_MS: '1000' };
const BUDGET = 40; // two processes: 20 each, both above one pool's worth (POOLED_DATABASE_POOL_SIZE 10)

/** src/main.ts as a child process on the test app's control plane, its output piped to the test. */
function spawnApp(databaseUrl: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-r', join(__dirname, 'support/ts-register.js'), join(__dirname, '../src/main.ts')], {
    env: {
      ...process.env,
      ...HEARTBEATS,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      JWT_SECRET: TEST_JWT_SECRET,
      SECRETS_KEYS: TEST_SECRETS_KEYS,
      DATABASE_POOL_SIZE: '5',
      ...env,
    },
  });
}

/** Resolves once the child says it listens: from then on it handles SIGTERM (before, the signal just kills it). */
function listening(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error('the process did not start listening')), 45_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Tenantry is listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => (clearTimeout(timer), reject(new Error('the process exited before listening'))));
  });
}

interface Shares {
  liveProcesses: number;
  servers: Array<{ serverId: string; connectionBudget: number; share: number }>;
}

describe('per-server connection budgets split across the live processes', () => {
  let t: TestApp;
  let token: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: HEARTBEATS });
    token = await adminToken(t.api);
  });

  afterAll(async () => {
    await Promise.all(children.map(killHard));
    await t?.close();
  });

  async function tenantConnections(): Promise<{ shares: Shares; servers: Record<string, { connectionLimit: number | null }> }> {
    const response = await t.api.get('/health/ready');
    expect(response.status).toBe(200);
    return response.body.info.tenantConnections;
  }

  /** Polls readiness until `done` holds (bounded), returning the last figures. */
  async function waitForShares(done: (shares: Shares) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const figures = await tenantConnections();
      if (done(figures.shares) || Date.now() > deadline) return figures;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const shareOf = (shares: Shares) => shares.servers.find((server) => server.serverId === t.databaseServerId)?.share;

  it('validates a server connection budget on POST and PATCH /control/database-servers (1 to max_connections) and audits it', async () => {
    const [{ max }] = await t.sql("SELECT current_setting('max_connections')::int AS max");
    const path = `/control/database-servers/${t.databaseServerId}`;

    expect((await t.api.patch(path, { connectionBudget: 0 }, { token })).status).toBe(400);
    const tooMany = await t.api.patch(path, { connectionBudget: max + 1 }, { token });
    expect(tooMany.status).toBe(422);
    const problem = `must be at most the server's max_connections (${max})`;
    expect(tooMany.body.details).toEqual([{ field: 'connectionBudget', problems: [problem] }]);

    const url = new URL(t.databaseUrl);
    const server = {
      host: url.hostname,
      port: Number(url.port || 5432),
      adminUser: decodeURIComponent(url.username),
      adminPassword: decodeURIComponent(url.password) || 'unused-password-under-trust-auth',
      maxDatabases: 10,
    };
    const refused = await t.api.post('/control/database-servers', { name: unique('pg'), ...server, connectionBudget: max + 1 }, { token });
    expect(refused.status).toBe(422);
    const created = await t.api.post('/control/database-servers', { name: unique('pg'), ...server, connectionBudget: 10 }, { token });
    expect(created.status).toBe(201);
    expect(created.body.connectionBudget).toBe(10);
    expect((await t.api.delete(`/control/database-servers/${created.body.id}`, { token })).status).toBe(204);

    const set = await t.api.patch(path, { connectionBudget: BUDGET }, { token });
    expect(set.status).toBe(200);
    expect(set.body.connectionBudget).toBe(BUDGET);
    const [audit] = await t.sql(
      "SELECT changes FROM audit_log WHERE action = 'database_server.update' AND target_id = $1 ORDER BY id DESC LIMIT 1",
      [t.databaseServerId],
    );
    expect(audit.changes).toEqual({ connectionBudget: { from: null, to: BUDGET } });
  });

  it("gives each of two processes half the server's budget, and the survivor all of it once the other's heartbeat is stale", async () => {
    const alone = await waitForShares((shares) => shareOf(shares) === BUDGET, 5_000);
    expect(alone.shares.liveProcesses).toBe(1);
    expect(shareOf(alone.shares)).toBe(BUDGET);

    const second = startAppProcess(t.databaseUrl, HEARTBEATS);
    children.push(second);
    const both = await waitForShares((shares) => shares.liveProcesses === 2 && shareOf(shares) === BUDGET / 2, 40_000);
    expect(both.shares.liveProcesses).toBe(2);
    expect(shareOf(both.shares)).toBe(BUDGET / 2);
    expect(both.servers[t.databaseServerId].connectionLimit).toBe(BUDGET / 2); // what the registry enforces
    expect(await t.sql('SELECT pid FROM app_processes ORDER BY started_at')).toEqual([{ pid: process.pid }, { pid: second.pid }]);

    await killHard(second); // no deregistration: only the stale heartbeat tells
    const [{ last_heartbeat_ms: lastHeartbeat }] = await t.sql(
      'SELECT (extract(epoch FROM heartbeat_at) * 1000)::float8 AS last_heartbeat_ms FROM app_processes WHERE pid = $1',
      [second.pid],
    );
    const survivor = await waitForShares((shares) => shareOf(shares) === BUDGET, 5_000);
    expect(shareOf(survivor.shares)).toBe(BUDGET);
    expect(survivor.shares.liveProcesses).toBe(1);
    expect(survivor.servers[t.databaseServerId].connectionLimit).toBe(BUDGET);
    // The dead process's share came back only once its last heartbeat was APP_PROCESS_STALE_MS old (timestamps rounded to the ms).
    expect(Date.now() - lastHeartbeat).toBeGreaterThanOrEqual(1_000 - 1);
    expect(await t.sql('SELECT pid FROM app_processes')).toEqual([{ pid: process.pid }]);
  }, 60_000);

  it("gives a stopping process's share to the others at their next heartbeat: it deregisters, staleness need not tell", async () => {
    const second = spawnApp(t.databaseUrl, {});
    children.push(second);
    await listening(second);
    await waitForShares((shares) => shares.liveProcesses === 2, 5_000);
    second.kill('SIGTERM');

    // Until its row goes, note its heartbeat's age on the server clock; gone while younger than
    // APP_PROCESS_STALE_MS (1000 ms), it cannot have been pruned as stale: it deregistered.
    let ageWhenGone = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const [row] = await t.sql(
        'SELECT (extract(epoch FROM clock_timestamp() - heartbeat_at) * 1000)::int AS age FROM app_processes WHERE pid = $1',
        [second.pid],
      );
      if (!row) break;
      ageWhenGone = row.age;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await t.sql('SELECT pid FROM app_processes')).toEqual([{ pid: process.pid }]);
    expect(ageWhenGone).toBeLessThan(1_000 - 100); // the last sighting, less a margin for the time to the next one
    const survivor = await waitForShares((shares) => shareOf(shares) === BUDGET, 5_000);
    expect(shareOf(survivor.shares)).toBe(BUDGET);
  }, 60_000);

  it("refuses a start whose processes would exceed a server's max_connections, naming the live process count", async () => {
    const [{ max }] = await t.sql("SELECT current_setting('max_connections')::int AS max");
    expect((await t.api.patch(`/control/database-servers/${t.databaseServerId}`, { connectionBudget: max }, { token })).status).toBe(200);
    const child = spawnApp(t.databaseUrl, { CONNECTION_LIMIT_CHECK: 'refuse' });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the process started instead of refusing'))), 45_000);
      child.once('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/The configured connections of 2 process\(es\) \(2 live\) exceed a server's max_connections/);
    const split = `tenant connections \\(connection budget ${max} split across 2 process\\(es\\)\\) \\d+ = \\d+, more than`;
    expect(stderr).toMatch(new RegExp(split));
  }, 60_000);
});
