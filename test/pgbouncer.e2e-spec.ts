import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, tenantAdminSession } from './support/factories';
import { startPgBouncer, PgBouncer } from './support/pgbouncer';
import { startTestApp, TestApp } from './support/test-app';

const LOCK_TIMEOUT_MS = 800;

type Session = Awaited<ReturnType<typeof tenantAdminSession>>;
interface Page {
  items: Array<{ id: string; name?: string; lastName?: string }>;
  nextCursor: string | null;
}

/**
 * The tenant API through a real PgBouncer in transaction mode (issue 21, point 7), as seed 002
 * deploys it: one server connection per database and role (default_pool_size = 1), so the two
 * pooled tenants' transactions take turns on the very same server connection, and PgBouncer
 * passes no startup parameter it does not know (no ignore_startup_parameters).
 */
describe('a database server behind PgBouncer in transaction mode', () => {
  let t: TestApp;
  let bouncer: PgBouncer;
  let platformAdmin: string;
  let superuser: string;
  let serverId: string;
  let poolDatabase: string;
  let a: Session;
  let b: Session;
  let dedicated: Session;

  beforeAll(async () => {
    const serverUrl = process.env.TENANTRY_TEST_ADMIN_URL!;
    [t, bouncer] = await Promise.all([
      startTestApp({ env: { TENANT_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) } }),
      startPgBouncer({ serverUrl, defaultPoolSize: 1 }),
    ]);
    platformAdmin = await adminToken(t.api);
    const direct = new URL(serverUrl);
    superuser = decodeURIComponent(direct.username);
    const server = await t.api.post(
      '/control/database-servers',
      {
        name: `bouncer-${randomBytes(4).toString('hex')}`,
        host: direct.hostname,
        port: Number(direct.port || 5432),
        adminUser: superuser,
        adminPassword: decodeURIComponent(direct.password),
        maxDatabases: 10,
        behindTransactionPooler: true,
        poolerHost: bouncer.host,
        poolerPort: bouncer.port,
      },
      { token: platformAdmin },
    );
    expect(server.status).toBe(201);
    serverId = server.body.id;
    const pool = await t.api.post(
      '/control/tenant-pools',
      { name: `b${randomBytes(4).toString('hex')}`, databaseServerId: serverId, maxTenants: 10 },
      { token: platformAdmin },
    );
    expect(pool.status).toBe(201);
    poolDatabase = pool.body.databaseName;
    [a, b, dedicated] = await Promise.all([
      tenantAdminSession(t.api, platformAdmin, { placement: 'pooled', tenantPoolId: pool.body.id }),
      tenantAdminSession(t.api, platformAdmin, { placement: 'pooled', tenantPoolId: pool.body.id }),
      tenantAdminSession(t.api, platformAdmin, { placement: 'dedicated', databaseServerId: serverId }),
    ]);
  });

  afterAll(async () => {
    try {
      await t?.close();
    } finally {
      await bouncer?.stop();
    }
  });

  it('shows the server’s pooler setting, refuses a pooler host without a port, and keeps it while tenant databases live there', async () => {
    const shown = (await t.api.get(`/control/database-servers/${serverId}`, { token: platformAdmin })).body;
    expect(shown).toMatchObject({ behindTransactionPooler: true, poolerHost: bouncer.host, poolerPort: bouncer.port });

    const incomplete = await t.api.post(
      '/control/database-servers',
      { name: 'no-port', host: '127.0.0.1', port: 5432, adminUser: 'x', adminPassword: 'y', maxDatabases: 1, poolerHost: '127.0.0.1' },
      { token: platformAdmin },
    );
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'poolerPort' })]));

    const change = await t.api.patch(`/control/database-servers/${serverId}`, { behindTransactionPooler: false }, { token: platformAdmin });
    expect(change.status).toBe(409);
    expect((await t.api.get(`/control/database-servers/${serverId}`, { token: platformAdmin })).body.behindTransactionPooler).toBe(true);
  });

  it('keeps two pooled tenants apart under concurrent CRUD and cursor lists on one shared server connection', async () => {
    const [ofA, ofB] = await Promise.all([exercise(a, 'A'), exercise(b, 'B')]);

    for (const [mine, theirs, session] of [
      [ofA, ofB, a],
      [ofB, ofA, b],
    ] as const) {
      expect(mine.listedContacts.sort()).toEqual([...mine.contacts].sort());
      expect(mine.listedAccounts.sort()).toEqual([...mine.accounts].sort());
      expect((await t.api.get(`/api/contacts/${theirs.contacts[0]}`, { token: session.token })).status).toBe(404);
      expect((await t.api.get(`/api/accounts/${theirs.accounts[0]}`, { token: session.token })).status).toBe(404);
      expect((await t.api.patch(`/api/accounts/${theirs.accounts[0]}`, { name: 'taken' }, { token: session.token })).status).toBe(404);
      expect((await t.api.delete(`/api/contacts/${theirs.contacts[0]}`, { token: session.token })).status).toBe(404);
    }
    // The other tenant's rows were left as they were.
    expect((await t.api.get(`/api/accounts/${ofB.accounts[0]}`, { token: b.token })).body.name).toBe('B renamed');

    // Both tenants' pooled DataSource connections (several clients) were served by one server connection
    // (the superuser's is PgBouncer's own, for looking up passwords).
    const ofThePool = (row: { database: string; user: string }) => row.database === poolDatabase && row.user !== superuser;
    expect((await bouncer.show<{ database: string; user: string }>('SHOW SERVERS')).filter(ofThePool)).toHaveLength(1);
    expect((await bouncer.show<{ database: string; user: string }>('SHOW CLIENTS')).filter(ofThePool).length).toBeGreaterThan(1);
  });

  it('serves a dedicated tenant through the pooler, its tenant bound in every transaction', async () => {
    const mine = await exercise(dedicated, 'D');

    expect(mine.listedContacts.sort()).toEqual([...mine.contacts].sort());
    expect(mine.listedAccounts.sort()).toEqual([...mine.accounts].sort());
    const [mineInA] = (await exercise(a, 'A2')).contacts;
    expect((await t.api.get(`/api/contacts/${mineInA}`, { token: dedicated.token })).status).toBe(404);
  });

  it.each([
    ['pooled', 'an ORM read in a bound transaction', '/api/accounts', 'accounts'],
    ['dedicated', 'a hand-written statement', '/api/contacts', 'contacts'],
  ])(
    'sets the lock timeout in every transaction through the pooler: a %s tenant’s request (%s) on a locked table answers 503',
    async (placement, _path, route, table) => {
      const session = placement === 'pooled' ? a : dedicated;
      const [{ database }] = await t.sql<{ database: string }>(
        `SELECT coalesce(t.database_name, p.database_name) AS database FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1`,
        [session.tenant.id],
      );
      const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
      url.pathname = `/${database}`;
      const migration = new Client({ connectionString: url.toString() });
      await migration.connect();
      try {
        await migration.query('BEGIN');
        await migration.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        const started = Date.now();
        let giveUp: NodeJS.Timeout | undefined;
        const response = await Promise.race([
          t.api.get(route, { token: session.token }),
          new Promise<never>((_, reject) => (giveUp = setTimeout(() => reject(new Error('the request waited for the whole lock')), 5_000))),
        ]).finally(() => clearTimeout(giveUp));
        expect(response.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(LOCK_TIMEOUT_MS + 2_000);
      } finally {
        await migration.query('ROLLBACK');
        await migration.end();
      }
      expect((await t.api.get(route, { token: session.token })).status).toBe(200);
    },
  );

  /**
   * One tenant's share of the load: accounts and contacts created in parallel, one renamed and one
   * deleted, then the contact list (hand-written statement, the prepared-statement path) and the
   * account list (ORM) read page by page, several pages at once. Returns the ids that should be left.
   */
  async function exercise(session: Session, label: string) {
    const { token } = session;
    const accounts = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const created = await t.api.post('/api/accounts', { name: `${label} account ${i}` }, { token });
        expect(created.status).toBe(201);
        return created.body.id as string;
      }),
    );
    const contacts = await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const created = await t.api.post('/api/contacts', { firstName: label, lastName: `${label} contact ${i}` }, { token });
        expect(created.status).toBe(201);
        return created.body.id as string;
      }),
    );
    const renamed = await t.api.patch(`/api/accounts/${accounts[0]}`, { name: `${label} renamed` }, { token });
    expect(renamed.body.name).toBe(`${label} renamed`);
    expect((await t.api.delete(`/api/contacts/${contacts.pop()}`, { token })).status).toBe(204);
    const [listedContacts, listedAccounts] = await Promise.all([
      Promise.all([pages(token, '/api/contacts?limit=2&sort=lastName'), pages(token, '/api/contacts?limit=3&sort=-lastName')]),
      pages(token, '/api/accounts?limit=4&sort=name'),
    ]);
    expect(listedContacts[1].sort()).toEqual([...listedContacts[0]].sort());
    return { accounts, contacts, listedContacts: listedContacts[0], listedAccounts };
  }

  /** Every id of a list, following its cursor. */
  async function pages(token: string, path: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page } = await t.api.get(`${path}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  }
});
