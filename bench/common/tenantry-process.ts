import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ChildSettings } from './tenantry-child';

export interface TenantryProcess {
  url: string;
  jwtSecret: string;
  stop(): Promise<void>;
}

/** Starts Tenantry (compiled, from dist/) in a child process and waits until it listens. */
export async function startTenantry(options: Omit<ChildSettings, 'jwtSecret' | 'secretsKeys'>): Promise<TenantryProcess> {
  const settings: ChildSettings = {
    ...options,
    jwtSecret: randomBytes(32).toString('base64url'),
    secretsKeys: `bench:${randomBytes(32).toString('base64')}`,
  };
  const child: ChildProcess = fork(join(__dirname, 'tenantry-child.js'), [], {
    env: { ...process.env, TENANTRY_BENCH_CHILD: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`Tenantry exited with code ${code} before listening`)));
  });
  return {
    url,
    jwtSecret: settings.jwtSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
