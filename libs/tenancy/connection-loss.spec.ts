import { randomUUID } from 'node:crypto';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TenantConnectionLostError } from './connection-errors';
import { queryPrepared } from './prepared-statement';
import { noteConnectionLoss, watchConnection } from './sound-connections';
import { createScratchDatabase, ScratchDatabase } from './testing/scratch-database';
import { inTenantTransaction } from './tenant-transaction';

/** What happens to a tenant DataSource's connections and transactions when PostgreSQL ends them (real server). */
let database: ScratchDatabase;
let admin: Client;
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createScratchDatabase('connloss_spec');
  admin = new Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("CREATE TABLE items (label text PRIMARY KEY, tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id'))");
});

afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

/** A DataSource with one connection, so whoever waits for the pool gets exactly the connection given back. */
async function singleConnectionDataSource(url = database.url): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    extra: { max: 1, onConnect: watchConnection },
  });
  return dataSource.initialize();
}

/** Terminates the backends running a statement that contains `marker`, once one is running. */
async function terminateWhenRunning(marker: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $1',
      [`%${marker}%`],
    );
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no statement with ${marker} ran`);
}

const labels = async () => (await admin.query<{ label: string }>('SELECT label FROM items ORDER BY label')).rows.map((row) => row.label);

describe('a tenant connection lost under a statement', () => {
  it('is never handed to the next caller: the one waiting for the pool gets a sound connection', async () => {
    const dataSource = await singleConnectionDataSource();
    try {
      const dying = queryPrepared(dataSource, "SELECT pg_sleep(10), 'dying-read'", []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Queued behind the only connection: it gets whatever the dying statement's caller gives back.
      const waiting = queryPrepared<{ one: number }>(dataSource, 'SELECT 1 AS one', []);
      await terminateWhenRunning('dying-read');
      await expect(dying).rejects.toThrow(/terminat/);
      await expect(waiting).resolves.toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('serves the calls after a loss only from connections opened after it, so a retry never meets a connection doomed with the lost one', async () => {
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { max: 3, onConnect: watchConnection },
    });
    await dataSource.initialize();
    try {
      const pidsOf = (calls: number) =>
        Promise.all(
          Array.from({ length: calls }, () =>
            queryPrepared<{ pid: number }>(dataSource, 'SELECT pg_backend_pid() AS pid, pg_sleep(0.05)', []),
          ),
        );
      const before = new Set((await pidsOf(3)).map(([row]) => row.pid));
      expect(before.size).toBe(3);
      noteConnectionLoss(dataSource);
      const after = (await pidsOf(3)).map(([row]) => row.pid);
      expect(after.filter((pid) => before.has(pid))).toEqual([]);
      // Connections opened after the loss are kept: no churn once the pool is renewed.
      expect(new Set((await pidsOf(3)).map(([row]) => row.pid))).toEqual(new Set(after));
    } finally {
      await dataSource.destroy();
    }
  });

  it('leaves no connection without an error listener between the pool handing it out and TypeORM taking it', async () => {
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { max: 2, onConnect: watchConnection },
    });
    await dataSource.initialize();
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    try {
      // pg-pool took its own listener off; a FATAL arriving now would otherwise be an uncaught exception.
      expect(client.listenerCount('error')).toBeGreaterThan(0);
    } finally {
      client.release();
      await dataSource.destroy();
    }
  });

  it('ends a write that dies before COMMIT as "not applied", and nothing of it is stored', async () => {
    const dataSource = await singleConnectionDataSource();
    try {
      const write = inTenantTransaction(dataSource, tenantId, async (runner) => {
        await runner.query("INSERT INTO items (label) VALUES ('before-commit')");
        await runner.query("SELECT pg_sleep(10), 'dying-write'");
      });
      await terminateWhenRunning('dying-write');
      const error = await write.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TenantConnectionLostError);
      expect((error as TenantConnectionLostError).outcome).toBe('not-applied');
      expect(await labels()).not.toContain('before-commit');
      expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('learns that a write whose COMMIT answer was lost did commit, and returns its result once', async () => {
    const relay = await relayCuttingCommitAnswers(new URL(database.url));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${relay.port}`;
    const dataSource = new DataSource({
      type: 'postgres',
      url: url.toString(),
      extra: { max: 2, onConnect: watchConnection },
    });
    await dataSource.initialize();
    try {
      const result = await inTenantTransaction(dataSource, tenantId, async (runner) => {
        await runner.query("INSERT INTO items (label) VALUES ('answer-lost')");
        return 'created';
      });
      expect(result).toBe('created');
      expect(relay.cut()).toBe(1);
      expect((await labels()).filter((label) => label === 'answer-lost')).toHaveLength(1);
    } finally {
      await dataSource.destroy();
      relay.close();
    }
  });

  it('says a write "may have been applied" only when the outcome of its COMMIT cannot be learnt in time', async () => {
    const relay = await relayCuttingCommitAnswers(new URL(database.url), { refuseAfterCut: true });
    const url = new URL(database.url);
    url.host = `127.0.0.1:${relay.port}`;
    const dataSource = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 2, onConnect: watchConnection } });
    await dataSource.initialize();
    try {
      const write = inTenantTransaction(
        dataSource,
        tenantId,
        (runner) => runner.query("INSERT INTO items (label) VALUES ('outcome-unknown')"),
        {
          commitCheckTimeoutMs: 300,
        },
      );
      const error = await write.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TenantConnectionLostError);
      expect((error as TenantConnectionLostError).outcome).toBe('unknown');
      expect((error as Error).message).toMatch(/check before repeating/);
      // It was in fact applied, once: exactly what the client is told to check.
      expect((await labels()).filter((label) => label === 'outcome-unknown')).toHaveLength(1);
    } finally {
      await dataSource.destroy();
      relay.close();
    }
  });
});

/**
 * A TCP relay to PostgreSQL that, once per run, forwards a client's COMMIT but drops the server's
 * answer and cuts the connection: the transaction is committed and the client cannot know it.
 */
async function relayCuttingCommitAnswers(
  target: URL,
  options: { refuseAfterCut?: boolean } = {},
): Promise<{ port: number; cut(): number; close(): void }> {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    // The server looks down from then on: nothing can learn what became of the COMMIT.
    if (cuts > 0 && options.refuseAfterCut) return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    let commitSent = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      if (cuts === 0 && chunk.includes('COMMIT\0')) commitSent = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (commitSent) {
        cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => cuts,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
