import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Loads the app's and the CLI's modules once in a child process, as the CLI and app processes the tests start do
 * (ts-register.js), so that swc's output and Node's compile cache (NODE_COMPILE_CACHE, which the child inherits) hold
 * them before the tests run. On a fresh checkout, processes started together would otherwise each compile everything.
 */
export function warmChildProcessCaches(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'test/support/ts-register.js'), '-e', "require('./src/app.factory'); require('./src/cli/cli.module')"],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`loading the app's modules failed (${code}):\n${stderr}`)))),
  );
}
