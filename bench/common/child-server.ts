import { ChildProcess, fork } from 'node:child_process';

export interface ChildServer {
  url: string;
  /** The server's process id (for reading its CPU time, see process-cpu.ts). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Forks a compiled server entry that reports `{ url }` over IPC once it listens.
 * `execPath` runs it on another node binary (a previous build's runtime).
 * With BENCH_PROFILE_DIR set, the server writes a V8 CPU profile there when it stops.
 */
export async function forkServer(entry: string, env: Record<string, string>, execPath?: string): Promise<ChildServer> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  // The V8 flags `npm start` runs Tenantry with (package.json), so servers are measured as they run.
  const execArgv = ['--max-semi-space-size=64', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child: ChildProcess = fork(entry, [], {
    env: { ...process.env, ...env },
    execArgv,
    execPath,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code, signal) => reject(new Error(`${entry} exited with ${signal ?? `code ${code}`} before listening`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
