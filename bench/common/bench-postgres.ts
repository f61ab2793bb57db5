import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { EmbeddedPostgresServer } from '../../libs/embedded-postgres';
import { parseOwnershipMark } from '../../libs/tenancy/ownership-mark';
import { Probe } from './load';

/**
 * The PostgreSQL server a benchmark runs against: DATABASE_URL when set, else a throw-away
 * embedded server. Each run gets a fresh control-plane database; `dispose` removes everything,
 * including the tenant databases and roles the run created.
 */
export class BenchPostgres {
  private readonly extraDatabases: string[] = [];

  private constructor(
    readonly adminUrl: string,
    readonly controlPlaneUrl: string,
    private readonly databaseName: string,
    private readonly embedded?: { server: EmbeddedPostgresServer; dir: string },
  ) {}

  /**
   * `maxConnections` makes room for more than one Tenantry process (a `--previous` run): the
   * embedded server is restarted with it; a server named by DATABASE_URL is only checked.
   */
  static async start(options: { maxConnections?: number; serverFlags?: string[] } = {}): Promise<BenchPostgres> {
    let adminUrl = process.env.DATABASE_URL;
    let embedded: { server: EmbeddedPostgresServer; dir: string } | undefined;
    if (!adminUrl) {
      const dir = await mkdtemp(join(tmpdir(), 'tenantry-bench-pg-'));
      const port = 57000 + Math.floor(Math.random() * 2000);
      const serverFlags = options.serverFlags ?? [];
      let server = await EmbeddedPostgresServer.start({ baseDir: dir, port, serverFlags });
      if (options.maxConnections) {
        await query(server.url, `ALTER SYSTEM SET max_connections = ${Number(options.maxConnections)}`);
        await server.stop();
        server = await EmbeddedPostgresServer.start({ baseDir: dir, port, serverFlags });
      }
      embedded = { server, dir };
      adminUrl = server.url;
    } else if (options.maxConnections) {
      const [{ max }] = await query(adminUrl, "SELECT current_setting('max_connections')::int AS max");
      if (max < options.maxConnections) {
        console.warn(`DATABASE_URL's server allows ${max} connections; this run may need ${options.maxConnections}`);
      }
    }
    const databaseName = `tenantry_bench_${randomBytes(5).toString('hex')}`;
    await query(adminUrl, `CREATE DATABASE ${databaseName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    return new BenchPostgres(adminUrl, url.toString(), databaseName, embedded);
  }

  /** The process id of the embedded server's postmaster (for its CPU time); undefined for a server named by DATABASE_URL. */
  async serverPid(): Promise<number | undefined> {
    if (!this.embedded) return undefined;
    const [pid] = (await readFile(join(this.embedded.dir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n');
    return Number(pid);
  }

  /** An extra database of the benchmark's own, dropped by dispose(); returns its URL. */
  async createDatabase(suffix: string): Promise<string> {
    const name = `${this.databaseName}_${suffix}`;
    await query(this.adminUrl, `CREATE DATABASE ${name}`);
    this.extraDatabases.push(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Connections currently open by Tenantry's tenant DataSources. */
  async tenantConnections(): Promise<number> {
    const rows = await query(this.adminUrl, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tenantry:%'");
    return rows[0].n as number;
  }

  /**
   * Where the pages a measurement read came from, per request: PostgreSQL's shared buffers (hits),
   * or outside them (misses: the OS page cache, or the disk); and how much this machine read from
   * its disks meanwhile, when the server runs here. Every database on the server counts, so the
   * figures are only the target's on a server the bench has to itself. Backends report their
   * counters up to a second late, so over a 10 s measurement the figures are within about a tenth.
   */
  readonly bufferProbe: Probe = async () => {
    const before = await this.pageCounters();
    return async (requests: number) => {
      const after = await this.pageCounters();
      const perRequest = (value: number) => Math.round((value / Math.max(requests, 1)) * 10) / 10;
      return {
        bufferHitsPerRequest: perRequest(after.hits - before.hits),
        bufferMissesPerRequest: perRequest(after.misses - before.misses),
        diskReadMiB: Math.round((after.diskReadKiB - before.diskReadKiB) / 1024),
      };
    };
  };

  /** The server's shared_buffers, in MiB. */
  async sharedBuffersMiB(): Promise<number> {
    const [{ mib }] = await query(
      this.adminUrl,
      "SELECT (setting::bigint * 8192 / 1048576)::int AS mib FROM pg_settings WHERE name = 'shared_buffers'",
    );
    return mib;
  }

  private async pageCounters(): Promise<{ hits: number; misses: number; diskReadKiB: number }> {
    const [{ hits, misses }] = await query(
      this.adminUrl,
      'SELECT sum(blks_hit)::float8 AS hits, sum(blks_read)::float8 AS misses FROM pg_stat_database',
    );
    // pgpgin: KiB read from block devices since boot (Linux).
    const vmstat = await readFile('/proc/vmstat', 'utf8').catch(() => '');
    const diskReadKiB = Number(/^pgpgin (\d+)$/m.exec(vmstat)?.[1] ?? 0);
    return { hits, misses, diskReadKiB };
  }

  async dispose(): Promise<void> {
    const leftovers = await query(
      this.controlPlaneUrl,
      `SELECT database_name AS database, database_role AS role FROM tenants WHERE database_name IS NOT NULL
       UNION ALL SELECT database_name, app_role FROM tenant_pools`,
    ).catch(() => []);
    for (const { database, role } of leftovers) {
      await query(this.adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await query(this.adminUrl, `DROP ROLE IF EXISTS ${role}`);
    }
    // The tenant templates this run's control plane built, known by its mark: on a server named by DATABASE_URL they
    // would outlive the run (one per run, none ever used again).
    for (const template of await this.ownTemplates()) {
      await query(this.adminUrl, `DROP DATABASE IF EXISTS ${escapeIdentifier(template)} WITH (FORCE)`);
    }
    for (const name of [...this.extraDatabases, this.databaseName]) {
      await query(this.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    if (this.embedded) {
      await this.embedded.server.stop();
      await rm(this.embedded.dir, { recursive: true, force: true });
    }
  }

  /** The databases carrying this run's control plane's template mark (none when the control plane is gone). */
  private async ownTemplates(): Promise<string[]> {
    const [identity] = await query(this.controlPlaneUrl, 'SELECT id FROM control_plane_identity').catch(() => []);
    if (!identity) return [];
    const databases = await query(this.adminUrl, "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database");
    return databases
      .filter(({ comment }) => {
        const mark = parseOwnershipMark(comment);
        return mark?.kind === 'template' && mark.controlPlaneId === identity.id;
      })
      .map(({ datname }) => datname as string);
  }
}

export async function query(url: string, text: string, params?: unknown[]): Promise<any[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}
