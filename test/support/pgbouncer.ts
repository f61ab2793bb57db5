import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A real PgBouncer process in transaction mode in front of one PostgreSQL server. */
export interface PgBouncer {
  host: string;
  port: number;
  /** Rows of an admin console command, e.g. `SHOW SERVERS` (simple protocol, as the console requires). */
  show<T = Record<string, unknown>>(command: string): Promise<T[]>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The server it pools: a superuser URL, also used by PgBouncer to look up the passwords of the roles clients log in as. */
  serverUrl: string;
  /** Server connections per database and role: 1 makes every client of one role share one server connection. */
  defaultPoolSize: number;
}

/**
 * Starts `pgbouncer` (Debian's package: .ci/run installs it) on a free port with a generated ini.
 * Any database of the server is reachable through it (`*`); clients authenticate with SCRAM against
 * the server's own role secrets (auth_query as the superuser), which PgBouncer then replays to log
 * in to the server, so roles the platform creates later work without listing them. No
 * `ignore_startup_parameters`: a client that sends a startup parameter PgBouncer does not know fails.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const server = new URL(options.serverUrl);
  const superuser = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const dir = await mkdtemp(join(tmpdir(), 'tenantry-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  await writeFile(join(dir, 'userlist.txt'), `"${superuser}" "${password.replace(/"/g, '""')}"\n`, { mode: 0o600 });
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `auth_user = ${superuser}`,
      `admin_users = ${superuser}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.defaultPoolSize}`,
      'max_client_conn = 500',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      // PgBouncer refuses to run as root; CI runs as root, so it drops to nobody, who must own its files.
      ...(process.getuid?.() === 0 ? ['user = nobody'] : []),
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    for (const path of [dir, ini, join(dir, 'userlist.txt')]) await chown(path, nobody, nobody);
  }
  // Debian installs it in /usr/sbin, which a non-root PATH may lack.
  const binary = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';
  const child = spawn(binary, [ini], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailure = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    await Promise.race([untilListening(port, child), spawnFailure]);
  } catch (error) {
    child.kill('SIGKILL');
    const log = await readFile(join(dir, 'pgbouncer.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`pgbouncer did not start (is it installed? .ci/run installs it): ${String(error)}\n${stderr}${log}`, { cause: error });
  }

  const show = async <T>(command: string): Promise<T[]> => {
    const client = new Client({ host: '127.0.0.1', port, user: superuser, password, database: 'pgbouncer' });
    await client.connect();
    try {
      return (await client.query(command)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    host: '127.0.0.1',
    port,
    show,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until something accepts connections on `port`, or the process has exited. */
async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
