import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TenantDatabaseFactory } from '../src/control-plane/placement/tenant-database.factory';
import { formatOwnershipMark } from '../libs/tenancy/ownership-mark';
import { TenantSchema } from '../libs/tenancy/tenant-schema';
import { startTestApp, TestApp } from './support/test-app';

/** How long an aborted ensure may take to give up: the cancel is immediate, this is slack for a busy machine. */
const GIVE_UP_WITHIN_MS = 3_000;

/**
 * A provisioning attempt that times out aborts its signal; the database it was creating must stop
 * then, not carry on beside the retry: the statement in flight is cancelled on the server.
 */
describe('TenantDatabaseFactory.ensure with an abort signal', () => {
  let t: TestApp;
  let factory: TenantDatabaseFactory;
  const made: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { QUEUE_WORKER: 'false' } });
    factory = t.app.get(TenantDatabaseFactory);
    await factory.refreshTemplate(t.databaseServerId);
  });
  afterAll(async () => {
    await onDatabase('postgres', async (client) => {
      for (const name of made) {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${name}_app`);
      }
    });
    await t.close();
  });

  it('cancels a CREATE DATABASE waiting on the template, rejects promptly and leaves no database behind, under the tenant’s name or the scratch name it was copying to', async () => {
    const name = `tenant_${randomUUID().replaceAll('-', '')}`;
    made.push(name);
    // This control plane's template (other test files' control planes on the same server have their own).
    const [{ id: controlPlaneId }] = await t.sql('SELECT id FROM control_plane_identity');
    const comment = formatOwnershipMark({ controlPlaneId, kind: 'template', ownerId: t.app.get(TenantSchema).version });
    const blocker = await connect('postgres');
    const markedAs = `SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1`;
    // A server may hold a template with this control plane's mark under both of its names (an earlier release built
    // one under the shared name whenever that name was free): every database with the mark is held, whichever one
    // ensure copies.
    const templates = (await blocker.query<{ datname: string }>(markedAs, [comment])).rows.map((row) => row.datname);
    expect(templates.length).toBeGreaterThan(0);
    let scratch: string | undefined;
    await blocker.query('BEGIN');
    // Rewriting its comment (with the same text) takes a lock that CREATE DATABASE … TEMPLATE waits for.
    for (const template of templates) await blocker.query(`COMMENT ON DATABASE ${template} IS '${comment}'`);
    try {
      const controller = new AbortController();
      const owner = { kind: 'tenant' as const, ownerId: randomUUID() };
      const ensuring = factory.ensure(t.databaseServerId, name, `${name}_app`, 'a-password', owner, controller.signal);
      ensuring.catch(() => undefined);
      // Other test files' control planes create databases on the same server meanwhile, from their own templates:
      // the statement copying one of ours is this ensure's, and the scratch name in it is the one it would have used.
      await waitFor(async () => (scratch = (await createDatabasesWaitingOn(templates))[0]) !== undefined);

      controller.abort(new Error('attempt timed out'));

      expect(await settledWithin(ensuring, GIVE_UP_WITHIN_MS)).toBe('attempt timed out');
      expect(await createDatabasesWaitingOn(templates)).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const databases = await onDatabase('postgres', (client) =>
      client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[name, scratch]]),
    );
    expect(databases.rows).toEqual([]);
  });

  it('cancels the tenant migrations on an existing database when they wait on a lock, rejecting promptly', async () => {
    const name = `tenant_${randomUUID().replaceAll('-', '')}`;
    made.push(name);
    const owner = { kind: 'tenant' as const, ownerId: randomUUID() };
    await factory.ensure(t.databaseServerId, name, `${name}_app`, 'a-password', owner);
    // Someone holds the table the migrations read first.
    const blocker = await connect(name);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE tenant_schema_migrations IN ACCESS EXCLUSIVE MODE');
    try {
      const controller = new AbortController();
      const ensuring = factory.ensure(t.databaseServerId, name, `${name}_app`, 'a-password', owner, controller.signal);
      ensuring.catch(() => undefined);
      await waitFor(async () => (await migratorsWaitingOnLock(name)) > 0);

      controller.abort(new Error('attempt timed out'));

      expect(await settledWithin(ensuring, GIVE_UP_WITHIN_MS)).toBe('attempt timed out');
      expect(await migratorsWaitingOnLock(name)).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});

/** The rejection's message, 'resolved', or 'still running' when `promise` has not settled within `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(
      () => 'resolved',
      (error: Error) => error.message,
    ),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), ms))),
  ]);
  clearTimeout(timer);
  return outcome;
}

/** The tenant migrator's sessions on `database` waiting on a lock (other test files migrate databases of their own meanwhile). */
async function migratorsWaitingOnLock(database: string): Promise<number> {
  const result = await onDatabase('postgres', (client) =>
    client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND application_name = 'tenantry-tenant-migrator' AND datname = $1`,
      [database],
    ),
  );
  return result.rows[0].n;
}

/** The scratch names of the CREATE DATABASE statements copying one of `templates` that wait on a lock. */
async function createDatabasesWaitingOn(templates: string[]): Promise<string[]> {
  const result = await onDatabase('postgres', (client) =>
    client.query<{ query: string }>(`SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE DATABASE%'`),
  );
  return result.rows
    .filter(({ query }) => templates.some((template) => query.endsWith(`TEMPLATE "${template}"`)))
    .map(({ query }) => /"([^"]+)"/.exec(query)![1]);
}

/** Polls `condition` for at most 10 s. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connect(database: string): Promise<Client> {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

async function onDatabase<T>(database: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(database);
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
