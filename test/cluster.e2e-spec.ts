import { ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { killHard, listeningUrl, startAppProcess } from './support/app-process';
import { adminToken, tenantAdminSession } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

const HEARTBEATS = { APP_PROCESS_HEARTBEAT_MS: '200', APP_PROCESS_STALE_MS: '1000' };

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** GET on a connection of its own (no keep-alive socket that a killed worker may have held). */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('timeout', () => reject(new Error('timed out')))
      .on('error', reject);
  });
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** `npm start` with WEB_CONCURRENCY=2: one port, two worker processes, a dead worker started again, a clean stop. */
describe('several worker processes behind one port', () => {
  let t: TestApp;
  let supervisor: ChildProcess;
  let api: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ env: HEARTBEATS });
    supervisor = startAppProcess(
      t.databaseUrl,
      { ...HEARTBEATS, WEB_CONCURRENCY: '2', PORT: String(await freePort()) },
      { captureOutput: true },
    );
    api = new HttpClient(await listeningUrl(supervisor, 90_000));
  }, 120_000);

  afterAll(async () => {
    if (supervisor) await killHard(supervisor);
    await t?.close();
  });

  /** The pids of the app processes registered in the control plane other than the test's own. */
  const workerPids = async () =>
    (await t.sql<{ pid: number }>('SELECT pid FROM app_processes WHERE pid <> $1 ORDER BY pid', [process.pid])).map((row) => row.pid);

  it('runs two workers that register as processes, and serves the tenant API through the one port', async () => {
    const workers = await eventually(workerPids, (pids) => pids.length === 2, 30_000);
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(supervisor.pid);
    const { token } = await tenantAdminSession(t.api, await adminToken(t.api));
    const answers = await Promise.all(Array.from({ length: 40 }, () => api.get('/api/contacts', { token })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
  }, 60_000);

  it('keeps answering through the other worker once one is killed, and starts the killed one again', async () => {
    const [victim, survivor] = await workerPids();
    process.kill(victim, 'SIGKILL');
    // What the killed worker held or was being handed at that instant is lost; once the supervisor knows, the other answers all.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => statusOnNewConnection(`${api.baseUrl}/health`).catch((error: Error) => error.message)),
    );
    expect(answers).toEqual(Array(20).fill(200));
    const replaced = await eventually(workerPids, (pids) => pids.length === 2 && !pids.includes(victim), 30_000);
    expect(replaced).toContain(survivor);
    expect(replaced).not.toContain(victim);
  }, 60_000);

  it('stops every worker on SIGTERM: each finishes and deregisters, then the supervisor exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await workerPids()).toEqual([]);
  }, 60_000);
});
