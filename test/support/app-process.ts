import { ChildProcess, ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startedMailboxUrl } from './mailbox';
import { TEST_ADMIN, TEST_JWT_SECRET, TEST_SECRETS_KEYS } from './test-app';

const ROOT = join(__dirname, '..', '..');

/**
 * Tenantry as a separate OS process (src/main.ts compiled on the fly) on an existing control
 * plane, sharing the test app's secrets: something a test can kill -9.
 */
export function startAppProcess(databaseUrl: string, env: Record<string, string> = {}, options: AppProcessOptions = {}): ChildProcess {
  const output = options.captureOutput ? 'pipe' : 'ignore';
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/main.ts')], {
    cwd: options.cwd ?? ROOT,
    env: processEnvironment(databaseUrl, env),
    stdio: ['ignore', output, options.captureOutput ? 'pipe' : process.env.TEST_LOG_LEVEL ? 'inherit' : 'ignore'],
  });
  return child;
}

export interface AppProcessOptions {
  /** The process's working directory (default: the repository), where it looks for a .env file. */
  cwd?: string;
  /** Pipe stdout and stderr, for a test that reads what the process prints. */
  captureOutput?: boolean;
}

/** Starts `npm run cli -- <args>` (from the sources) on the test app's control plane: something a test can kill -9. */
export function startCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: processEnvironment(databaseUrl, env),
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` (from the sources) on the test app's control plane. */
export function runCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return outcomeOf(startCli(databaseUrl, args, env));
}

/** Runs `npm run -s cli -- <args>` as an operator does: the build in dist/ (built first if it is stale). */
export function runBuiltCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return outcomeOf(spawn('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: ROOT, env: processEnvironment(databaseUrl, env) }));
}

function outcomeOf(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function processEnvironment(databaseUrl: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: TEST_JWT_SECRET,
    SECRETS_KEYS: TEST_SECRETS_KEYS,
    DATABASE_POOL_SIZE: '5',
    ...(startedMailboxUrl() ? { SMTP_URL: startedMailboxUrl() } : {}),
    ...env,
  };
}

/** Sends SIGKILL and waits until the process is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The base URL a process started with `captureOutput` says it listens on, once it does. */
export function listeningUrl(child: ChildProcess, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error('the process did not start listening')), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /Tenantry is listening on (\S+)/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', () => (clearTimeout(timer), reject(new Error('the process exited before listening'))));
  });
}
