import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { startTestApp, TEST_ADMIN, TEST_JWT_SECRET, TEST_SECRETS_KEYS, TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');

/** Runs src/main.ts as a newcomer would start it and collects what it prints. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, SECRETS_KEYS: TEST_SECRETS_KEYS, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('starting the process', () => {
  let t: TestApp;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    t = await startTestApp();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await t.close();
  });

  it('says in one line that the port is taken, and exits 1 without a stack trace', async () => {
    const started = await runMain({
      DATABASE_URL: t.databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(busyPort),
      ADMIN_EMAIL: TEST_ADMIN.email,
    });
    expect(started.code).toBe(1);
    expect(started.stderr.trim()).toBe(
      `Port ${busyPort} on 127.0.0.1 is in use by another process: stop it, or start Tenantry with another PORT`,
    );
  }, 90_000);

  it('names a PORT that is not a number', async () => {
    const started = await runMain({ DATABASE_URL: t.databaseUrl, PORT: 'abc' });
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/PORT="abc"/);
    expect(started.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
