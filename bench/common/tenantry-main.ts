import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { query } from './bench-postgres';
import { childrenOf } from './process-cpu';
import { TenantryProcess } from './tenantry-process';

export interface MainProcess {
  url: string;
  /** The process `npm start` runs: with WEB_CONCURRENCY > 1 the cluster primary, whose workers serve. */
  pid: number;
  stop(): Promise<void>;
}

const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

/**
 * Tenantry started as `npm start` starts it (the compiled src/main.ts, node:cluster workers with
 * WEB_CONCURRENCY > 1), as another process of the deployment `beside` belongs to: the same control
 * plane, secrets and environment, plus `env`. Resolves once every worker has registered in
 * app_processes, which a worker does as it starts, right before it listens (the measurement's
 * warm-up covers the moment in between).
 */
export async function startMain(beside: TenantryProcess, env: Record<string, string>): Promise<MainProcess> {
  const port = await freePort();
  const { databaseUrl, jwtSecret, secretsKeys } = beside.settings;
  const child = spawn(process.execPath, ['--max-semi-space-size=64', MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RATE_LIMITS: 'false',
      AUTO_REGISTER_DATABASE_SERVER: 'false',
      ...beside.settings.env,
      ...env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      SECRETS_KEYS: secretsKeys,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.resume(); // its start-up lines: not needed, but the pipe must not fill
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`src/main.js exited with code ${code} before its workers started`))),
  );
  await Promise.race([everyWorkerRegistered(child, databaseUrl, Number(env.WEB_CONCURRENCY ?? 1)), exited]);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function everyWorkerRegistered(child: ChildProcess, databaseUrl: string, workers: number): Promise<void> {
  for (;;) {
    const pids = workers === 1 ? [child.pid!] : await childrenOf(child.pid!);
    if (pids.length === workers) {
      const [{ registered }] = await query(databaseUrl, 'SELECT count(*)::int AS registered FROM app_processes WHERE pid = ANY($1)', [
        pids,
      ]);
      if (registered === workers) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
