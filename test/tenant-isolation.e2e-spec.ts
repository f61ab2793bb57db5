import http from 'node:http';
import { Client } from 'pg';
import { DataSourceRegistry } from '../libs/tenancy/data-source-registry';
import { AccessChanges } from '../src/control-plane/access-changes';
import { TenantDataSessions } from '../src/control-plane/tenant-archives/tenant-data-sessions';
import { dedicatedDataSourceKeyPrefix } from '../src/control-plane/tenants/tenant-directory.service';
import { addMember, adminToken, createTenant, createUser, loginAs } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

type Placement = 'pooled' | 'dedicated';

/** A tenant of the given placement with one member signed into it. */
async function tenantWithMember(t: TestApp, admin: string, placement: Placement) {
  const tenant = await createTenant(t.api, admin, { placement });
  const user = await createUser(t.api, admin);
  await addMember(t.api, admin, tenant.id, user.email, 'member');
  const token = (await loginAs(t.api, user.email, user.password)).accessToken;
  return { tenant, user, token };
}

/** fetch() will not send a Host header of our choosing; node:http will. */
function getWithHost(t: TestApp, path: string, host: string, token: string): Promise<any> {
  const url = new URL(t.api.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, headers: { host, authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const readiness = async (t: TestApp) => (await t.api.get('/health/ready')).body.details.tenantConnections;

describe.each<Placement>(['pooled', 'dedicated'])('tenant isolation (%s)', (placement) => {
  let t: TestApp;
  let admin: string;
  let a: Awaited<ReturnType<typeof tenantWithMember>>;
  let b: Awaited<ReturnType<typeof tenantWithMember>>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
    a = await tenantWithMember(t, admin, placement);
    b = await tenantWithMember(t, admin, placement);
  });

  afterAll(() => t.close());

  it('serves each tenant its own notes through the whole surface', async () => {
    const created = await t.api.post('/api/notes', { title: 'A only', body: 'secret of A' }, { token: a.token });
    expect(created.status).toBe(201);
    expect((await t.api.get(`/api/notes/${created.body.id}`, { token: a.token })).body.title).toBe('A only');
    expect((await t.api.patch(`/api/notes/${created.body.id}`, { title: 'A renamed' }, { token: a.token })).body.title).toBe('A renamed');
    const listed = await t.api.get('/api/notes', { token: a.token });
    expect(listed.body.items.map((n: { id: string }) => n.id)).toContain(created.body.id);
    expect((await t.api.delete(`/api/notes/${created.body.id}`, { token: a.token })).status).toBe(204);
    expect((await t.api.get(`/api/notes/${created.body.id}`, { token: a.token })).status).toBe(404);
  });

  it('answers another tenant’s ids exactly like ids that do not exist', async () => {
    const note = (await t.api.post('/api/notes', { title: 'A private' }, { token: a.token })).body;
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { title: 'hijack' }],
      ['DELETE', undefined],
    ] as const) {
      const foreign = await t.api.request<any>(method, `/api/notes/${note.id}`, body, { token: b.token });
      const absent = await t.api.request<any>(method, `/api/notes/${missing}`, body, { token: b.token });
      expect({ method, status: foreign.status }).toEqual({ method, status: 404 });
      expect(foreign.body.message.replace(note.id, 'X')).toBe(absent.body.message.replace(missing, 'X'));
    }
    expect((await t.api.get('/api/notes', { token: b.token })).body.items.map((n: { id: string }) => n.id)).not.toContain(note.id);
    expect((await t.api.get(`/api/notes/${note.id}`, { token: a.token })).body.title).toBe('A private');
  });

  it('refuses another tenant’s note as a parent', async () => {
    const note = (await t.api.post('/api/notes', { title: 'A parent' }, { token: a.token })).body;
    const response = await t.api.post('/api/notes', { title: 'B child', parentId: note.id }, { token: b.token });
    expect(response.status).toBe(404);
    expect(response.body.details[0].field).toBe('parentId');
  });

  it('refuses a token whose tenant contradicts the x-tenant-id header', async () => {
    const response = await t.api.get('/api/notes', { token: a.token, headers: { 'x-tenant-id': b.tenant.id } });
    expect(response.status).toBe(403);
  });

  it('stops a suspended tenant’s requests at once and serves it again on resume, to a new login', async () => {
    const c = await tenantWithMember(t, admin, placement);
    expect((await t.api.get('/api/notes', { token: c.token })).status).toBe(200);
    await t.api.post(`/control/tenants/${c.tenant.id}/suspend`, undefined, { token: admin });
    const refused = await t.api.get('/api/notes', { token: c.token });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('The session has ended');
    const login = await t.api.post('/auth/login', { email: c.user.email, password: c.user.password });
    expect(login.status).toBe(403);
    expect(login.body.message).toMatch(/suspended/);
    await t.api.post(`/control/tenants/${c.tenant.id}/resume`, undefined, { token: admin });
    const token = (await loginAs(t.api, c.user.email, c.user.password)).accessToken;
    expect((await t.api.get('/api/notes', { token })).status).toBe(200);
  });

  it('creates one DataSource for 100 concurrent first requests of a cold tenant', async () => {
    const c = await tenantWithMember(t, admin, placement);
    // Background work right after the tenant's creation (its outbox relay, say) may already have opened its DataSource:
    // the tenant is made cold again, so the burst below is its first use.
    if (placement === 'dedicated') {
      await t.app.get(DataSourceRegistry).evictMatching((key) => key.startsWith(dedicatedDataSourceKeyPrefix(c.tenant.id)));
    }
    const before = await readiness(t);
    const responses = await Promise.all(Array.from({ length: 100 }, () => t.api.get('/api/notes', { token: c.token })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const after = await readiness(t);
    // A pooled tenant joins its pool's DataSource, which earlier tests of this suite already opened.
    expect(after.creations - before.creations).toBe(placement === 'dedicated' ? 1 : 0);
  });

  it("serves a tenant's requests at once after a change to the tenant while a long transaction still holds its old connections", async () => {
    const c = await tenantWithMember(t, admin, placement);
    let endTransaction!: () => void;
    const transactionOpen = new Promise<void>((resolve) => (endTransaction = resolve));
    let begun!: () => void;
    const transactionBegun = new Promise<void>((resolve) => (begun = resolve));
    // A job's transaction on the tenant's data (a restore, an export) that runs as long as the test keeps it open.
    const longTransaction = t.app.get(TenantDataSessions).transaction(c.tenant.id, async (runner) => {
      await runner.query('SELECT 1');
      begun();
      await transactionOpen;
    });
    try {
      await transactionBegun;
      // A suspension, a plan change, a freeze: the tenant's DataSource is taken out of service (a dedicated one is replaced).
      t.app.get(AccessChanges).tenantChanged(c.tenant.id);
      const read = await t.api.get('/api/notes', { token: c.token });
      expect(read.status).toBe(200);
      const write = await t.api.post('/api/notes', { title: 'written beside a long transaction' }, { token: c.token });
      expect(write.status).toBe(201);
    } finally {
      endTransaction();
      await longTransaction;
    }
  });

  describe('at the database', () => {
    async function appRoleClient() {
      const [row] = await t.sql(
        placement === 'pooled'
          ? 'SELECT p.database_name AS db, p.app_role AS role FROM tenants t JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1'
          : 'SELECT database_name AS db, database_role AS role FROM tenants WHERE id = $1',
        [a.tenant.id],
      );
      // The test server's superuser connects, then becomes the app role: the same rights the API has.
      const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
      url.pathname = `/${row.db}`;
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(`SET ROLE ${row.role}`);
      return client;
    }

    it('lets the app role see no rows at all while no tenant is bound', async () => {
      await t.api.post('/api/notes', { title: 'visible only when bound' }, { token: a.token });
      const client = await appRoleClient();
      try {
        expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [a.tenant.id]);
        expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBeGreaterThan(0);
        await client.query('COMMIT');
        expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    });

    it('rejects a row written for another tenant and a forged foreign key to another tenant’s row', async () => {
      const foreign = (await t.api.post('/api/notes', { title: 'B row' }, { token: b.token })).body;
      const client = await appRoleClient();
      try {
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [a.tenant.id]);
        await expect(client.query('INSERT INTO notes (tenant_id, title) VALUES ($1, $2)', [b.tenant.id, 'smuggled'])).rejects.toThrow(
          /row-level security/,
        );
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [a.tenant.id]);
        await expect(client.query('INSERT INTO notes (title, parent_id) VALUES ($1, $2)', ['forged link', foreign.id])).rejects.toThrow(
          /foreign key/,
        );
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
    });

    it('gives the app role no way around row-level security', async () => {
      const client = await appRoleClient();
      try {
        const [role] = (await client.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user')).rows;
        expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
        await expect(client.query('ALTER TABLE notes DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/owner/);
        const [table] = (await client.query("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'notes'")).rows;
        expect(table).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
      } finally {
        await client.end();
      }
    });
  });
});

describe('tenant resolution', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TENANT_BASE_DOMAIN: 'tenantry.test' } });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  it('resolves a tenantless token’s tenant from x-tenant-id or the subdomain, for members only', async () => {
    const user = await createUser(t.api, admin);
    const first = await createTenant(t.api, admin);
    const second = await createTenant(t.api, admin);
    const stranger = await createTenant(t.api, admin);
    await addMember(t.api, admin, first.id, user.email, 'member');
    await addMember(t.api, admin, second.id, user.email, 'member');
    const token = (await loginAs(t.api, user.email, user.password)).accessToken;

    expect((await t.api.get('/api/tenant', { token })).status).toBe(403);
    expect((await t.api.get('/api/tenant', { token, headers: { 'x-tenant-id': first.slug } })).body.id).toBe(first.id);
    expect((await getWithHost(t, '/api/tenant', `${second.slug}.tenantry.test`, token)).id).toBe(second.id);
    const notMember = await t.api.get('/api/tenant', { token, headers: { 'x-tenant-id': stranger.slug } });
    const missing = await t.api.get('/api/tenant', { token, headers: { 'x-tenant-id': 'no-such-tenant' } });
    expect([notMember.status, missing.status]).toEqual([403, 403]);
  });

  it('ignores ?tenant= outside development', async () => {
    const user = await createUser(t.api, admin);
    const first = await createTenant(t.api, admin);
    const second = await createTenant(t.api, admin);
    await addMember(t.api, admin, first.id, user.email, 'member');
    await addMember(t.api, admin, second.id, user.email, 'member');
    const tenantless = (await loginAs(t.api, user.email, user.password)).accessToken;
    const response = await t.api.get(`/api/tenant?tenant=${first.slug}`, { token: tenantless });
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/needs a tenant/);
  });
});

describe('connection budget', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TENANT_CONNECTION_BUDGET: '4', TENANT_DATABASE_POOL_SIZE: '1', POOLED_DATABASE_POOL_SIZE: '1' } });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  it('never mixes tenants on a pooled database served by a single connection', async () => {
    const tenants = [await tenantWithMember(t, admin, 'pooled'), await tenantWithMember(t, admin, 'pooled')];
    for (const [index, tenant] of tenants.entries())
      await t.api.post('/api/notes', { title: `owned by ${index}` }, { token: tenant.token });
    const rounds = await Promise.all(
      Array.from({ length: 40 }, (_, i) => tenants[i % 2]).map(async (tenant, i) => ({
        index: i % 2,
        response: await t.api.get('/api/notes', { token: tenant.token }),
      })),
    );
    for (const { index, response } of rounds) {
      expect(response.status).toBe(200);
      expect(response.body.items.map((n: { title: string }) => n.title)).toEqual([`owned by ${index}`]);
    }
  });

  it('never mixes tenants’ contact lists, bound per statement, on a pooled database served by a single connection', async () => {
    const tenants = [await tenantWithMember(t, admin, 'pooled'), await tenantWithMember(t, admin, 'pooled')];
    for (const [index, tenant] of tenants.entries())
      await t.api.post('/api/contacts', { firstName: 'Owned', lastName: `By${index}` }, { token: tenant.token });
    const rounds = await Promise.all(
      Array.from({ length: 40 }, (_, i) => i).map(async (i) => {
        const index = i % 2;
        // Some requests write first: a transaction of their own on the same connection, between the bound statements.
        if (i % 4 === 0) await t.api.post('/api/notes', { title: `write ${i}` }, { token: tenants[index].token });
        return { index, response: await t.api.get('/api/contacts?search=owned', { token: tenants[index].token }) };
      }),
    );
    for (const { index, response } of rounds) {
      expect(response.status).toBe(200);
      expect(response.body.items.map((contact: { lastName: string }) => contact.lastName)).toEqual([`By${index}`]);
    }
  });

  it('evicts idle DataSources to stay within the budget and loses no request', async () => {
    const tenants: Array<Awaited<ReturnType<typeof tenantWithMember>>> = [];
    for (let i = 0; i < 6; i += 1) tenants.push(await tenantWithMember(t, admin, 'dedicated'));
    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, i) => t.api.get('/api/notes', { token: tenants[i % tenants.length].token })),
    );
    expect(responses.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    const stats = await readiness(t);
    expect(stats.evictions).toBeGreaterThan(0);
    expect(stats.connectionsReserved).toBeLessThanOrEqual(4);
  });
});
