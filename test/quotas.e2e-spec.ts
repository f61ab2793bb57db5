import { randomBytes } from 'node:crypto';
import { adminToken, registerTenant, tenantAdminSession, tenantWithUsers, unique } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

interface UsageDay {
  day: string;
  storageBytes: number | null;
  measuredAt: string | null;
}

const MIB = 1024 * 1024;
const planName = () => unique('q').replace('-', '_');
/** Text PostgreSQL cannot compress: the stored size is the written size. */
const incompressible = (length: number) => randomBytes(length).toString('base64').slice(0, length);

/**
 * Plans as platform admins create, edit and delete them, and the quotas enforced from them on
 * /api: API calls per month (429 until next month) and storage as measured (409 on writes). A
 * plan edit and a new measurement reach every app process by the change feed, at once.
 */
describe('plans and quotas', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ openApiDocs: true });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function createPlan(body: Record<string, unknown>) {
    const created = await t.api.post('/control/plans', { displayName: 'Quota test', ...body }, { token: admin });
    expect(created.status).toBe(201);
    return created.body as { name: string };
  }

  const editPlan = async (name: string, body: Record<string, unknown>) =>
    expect((await t.api.patch(`/control/plans/${name}`, body, { token: admin })).status).toBe(200);

  /** Measures the tenant's storage now (the daily job's work) and waits for the job to record a new measurement. */
  async function measured(tenantId: string): Promise<UsageDay> {
    const today = async () => {
      const days = await t.api.get<UsageDay[]>(`/control/tenants/${tenantId}/usage`, { token: admin });
      return days.body.find((day) => day.day === new Date().toISOString().slice(0, 10));
    };
    const before = (await today())?.measuredAt ?? null;
    expect((await t.api.post(`/control/tenants/${tenantId}/usage/measure`, undefined, { token: admin })).status).toBe(202);
    return eventually(async () => {
      const day = await today();
      return day?.measuredAt && day.measuredAt !== before ? day : undefined;
    });
  }

  /** Writes a note until the storage quota refuses it (the refusal follows the measurement's notification). */
  const refusedWrite = (token: string, title: string) =>
    eventually(async () => {
      const write = await t.api.post('/api/notes', { title }, { token });
      return write.status === 409 ? write : undefined;
    });

  const openAlert = (subject: string) =>
    eventually(async () => {
      const [alert] = await t.sql(`SELECT message FROM platform_alerts WHERE subject = $1 AND resolved_at IS NULL`, [subject]);
      return alert as { message: string } | undefined;
    });

  it('creates a plan whose name a platform admin chooses, refusing bad, unknown and duplicate names; tenants go on it; audited', async () => {
    const badName = await t.api.post('/control/plans', { name: 'Growth Plan', displayName: 'Growth', extra: 1 }, { token: admin });
    expect(badName.status).toBe(400);
    expect(badName.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['extra', 'name']);

    const name = planName();
    const created = await t.api.post(
      '/control/plans',
      { name, displayName: 'Growth', maxApiCallsPerMonth: 50_000, storageMb: 2048, modules: ['notes'] },
      { token: admin },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      displayName: 'Growth',
      maxUsers: null,
      maxContacts: null,
      storageMb: 2048,
      maxApiCallsPerMonth: 50_000,
      tenantRequestsPerMinute: null,
      modules: ['notes'],
      defaultPlacement: 'pooled',
    });
    expect((await t.api.post('/control/plans', { name, displayName: 'Again' }, { token: admin })).status).toBe(409);
    const [audit] = await t.sql(`SELECT changes FROM audit_log WHERE action = 'plan.create' AND changes->>'plan' = $1`, [name]);
    expect(audit.changes.to).toMatchObject({ maxApiCallsPerMonth: 50_000, storageMb: 2048 });

    const { tenant } = await registerTenant(t.api, admin, { plan: name });
    expect((await t.sql('SELECT plan FROM tenants WHERE id = $1', [tenant.id]))[0].plan).toBe(name);
    const unknownPlan = await t.api.post(
      '/control/tenants',
      { slug: unique('t'), name: 'T', plan: 'no-such-plan', placement: 'pooled', admin: { email: `${unique('o')}@example.test` } },
      { token: admin },
    );
    expect([unknownPlan.status, unknownPlan.body.details]).toEqual([400, [{ field: 'plan', problems: ['no such plan'] }]]);
    const notOffered = await t.api.post('/auth/register', {
      company: 'Acme',
      email: `${unique('r')}@example.test`,
      password: 'a-long-enough-password',
      plan: name,
    });
    expect([notOffered.status, notOffered.body.details?.[0]?.field]).toEqual([400, 'plan']);

    const { token } = await tenantAdminSession(t.api, admin);
    expect((await t.api.post('/control/plans', { name: planName(), displayName: 'Mine' }, { token })).status).toBe(403);
  });

  it('deletes only a plan no tenant is on: 409 while one is, 204 when none is, audited', async () => {
    const used = await createPlan({ name: planName() });
    await registerTenant(t.api, admin, { plan: used.name });
    const refused = await t.api.delete(`/control/plans/${used.name}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/is the plan of 1 tenant/);

    const unused = await createPlan({ name: planName() });
    expect((await t.api.delete(`/control/plans/${unused.name}`, { token: admin })).status).toBe(204);
    expect((await t.api.get(`/control/plans/${unused.name}`, { token: admin })).status).toBe(404);
    expect(await t.sql(`SELECT 1 FROM audit_log WHERE action = 'plan.delete' AND changes->>'plan' = $1`, [unused.name])).toHaveLength(1);
  });

  it('answers 429 past the monthly API-call quota until the first of next month (UTC), alerts from 90%, and a plan edit lifts it at once', async () => {
    const plan = await createPlan({ name: planName(), maxApiCallsPerMonth: 10, modules: ['notes'] });
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plan.name });
    for (let call = 1; call <= 10; call += 1) expect([call, (await t.api.get('/api/notes', { token })).status]).toEqual([call, 200]);

    const refused = await t.api.get('/api/notes', { token });
    const now = new Date();
    const untilNextMonth = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Math.abs(retryAfter - untilNextMonth)).toBeLessThan(5);
    const month = now.toISOString().slice(0, 7);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Quota maxApiCallsPerMonth reached: the Quota test plan allows 10 API calls per month/),
      details: { quota: 'maxApiCallsPerMonth', limit: 10, used: 10, month },
    });
    expect((await t.api.post('/api/notes', { title: 'refused too' }, { token })).status).toBe(429);
    expect((await openAlert(`${tenant.id} maxApiCallsPerMonth`)).message).toBe(
      'A tenant on the Quota test plan uses 9 of its 10 maxApiCallsPerMonth (90%)',
    );

    await editPlan(plan.name, { maxApiCallsPerMonth: 1000 });
    expect((await t.api.get('/api/notes', { token })).status).toBe(200);
  });

  it('refuses writes of a dedicated tenant measured at its storage quota with 409, keeping reads, deletions and its administration', async () => {
    const plan = await createPlan({ name: planName(), storageMb: 1, modules: ['notes'] });
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plan.name, placement: 'dedicated' });
    const note = await t.api.post('/api/notes', { title: 'before any measurement' }, { token });
    expect(note.status).toBe(201);

    // An empty dedicated database alone is several MiB on disk.
    expect((await measured(tenant.id)).storageBytes).toBeGreaterThan(MIB);
    // The measurement reaches this process's cached figures through the change feed, a moment after the job's commit.
    const refused = await refusedWrite(token, 'over the quota');
    expect(refused.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringMatching(/^Quota storageMb reached: the Quota test plan allows 1 MiB/),
      details: { quota: 'storageMb', limit: 1, used: expect.any(Number) },
    });
    expect(refused.body.details.used).toBeGreaterThan(1);
    expect((await t.api.patch(`/api/notes/${note.body.id}`, { title: 'changed' }, { token })).status).toBe(409);
    expect((await t.api.get('/api/notes', { token })).status).toBe(200);
    expect((await t.api.post('/api/api-keys', { name: 'still allowed', permissions: ['notes.read'] }, { token })).status).toBe(201);
    expect((await t.api.delete(`/api/notes/${note.body.id}`, { token })).status).toBe(204);
    expect((await openAlert(`${tenant.id} storageMb`)).message).toMatch(/^A tenant on the Quota test plan uses [\d.]+ of its 1 storageMb/);

    await editPlan(plan.name, { storageMb: 100_000 });
    expect((await t.api.post('/api/notes', { title: 'room again' }, { token })).status).toBe(201);
  });

  it("counts a pooled tenant's own rows against its storage quota: writes are refused once they measure over it", async () => {
    const plan = await createPlan({ name: planName(), storageMb: 1, modules: ['notes'] });
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plan.name });
    expect((await measured(tenant.id)).storageBytes).toBeLessThan(MIB);
    expect((await t.api.post('/api/notes', { title: 'small' }, { token })).status).toBe(201);

    for (let i = 0; i < 56; i += 1) {
      expect((await t.api.post('/api/notes', { title: `bulky ${i}`, body: incompressible(20_000) }, { token })).status).toBe(201);
    }
    expect((await measured(tenant.id)).storageBytes).toBeGreaterThanOrEqual(MIB);
    expect((await refusedWrite(token, 'one too many')).body.details).toMatchObject({ quota: 'storageMb', limit: 1 });
  });

  it('applies a plan edit and a new measurement made on one app process on another at once (change feed, not expiry)', async () => {
    // The second process trusts its cached figures and rate limits for five minutes: only a pushed change refreshes them in time.
    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: { USAGE_FLUSH_INTERVAL_MS: '300000', TENANT_CACHE_TTL_SECONDS: '300' },
    });
    try {
      const plan = await createPlan({
        name: planName(),
        maxApiCallsPerMonth: 3,
        storageMb: 1,
        tenantRequestsPerMinute: 1000,
        modules: ['notes'],
      });
      const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plan.name, placement: 'dedicated' });
      expect((await second.api.post('/api/notes', { title: 'not measured yet' }, { token })).status).toBe(201);
      const limited = await second.api.get('/api/notes', { token });
      expect([limited.status, limited.headers.get('ratelimit-policy')]).toEqual([200, '"tenant";q=1000;w=60']);
      expect((await second.api.get('/api/notes', { token })).status).toBe(200);
      expect((await second.api.get('/api/notes', { token })).status).toBe(429);

      await editPlan(plan.name, { maxApiCallsPerMonth: null, tenantRequestsPerMinute: 2000 });
      const served = await eventually(async () => {
        const read = await second.api.get('/api/notes', { token });
        return read.status === 200 ? read : undefined;
      });
      expect(served.headers.get('ratelimit-policy')).toBe('"tenant";q=2000;w=60');

      await measured(tenant.id);
      await eventually(async () => ((await second.api.post('/api/notes', { title: 'full' }, { token })).status === 409 ? true : undefined));
      expect((await second.api.get('/api/notes', { token })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('alerts platform admins when a new member brings a tenant to 90% of its maxUsers', async () => {
    const plan = await createPlan({ name: planName(), maxUsers: 2 });
    const { tenant } = await tenantWithUsers(t.api, admin, { plan: plan.name });
    expect((await openAlert(`${tenant.id} maxUsers`)).message).toBe('A tenant on the Quota test plan uses 2 of its 2 maxUsers (100%)');
  });

  it('documents the quotas on /api: the monthly 429 everywhere, the storage 409 on data writes but not on administration', async () => {
    const { paths } = (await t.api.get('/docs-json')).body;
    expect(paths['/api/notes'].get.responses['429'].description).toMatch(/maxApiCallsPerMonth/);
    expect(paths['/api/notes'].post.responses['409'].description).toMatch(/storageMb/);
    expect(paths['/api/notes/{id}'].delete.responses['409']?.description ?? '').not.toMatch(/storageMb/);
    expect(paths['/api/api-keys'].post.responses['409']?.description ?? '').not.toMatch(/storageMb/);
    expect(paths['/control/plans'].post.responses['409'].description).toMatch(/exists/);
    expect(paths['/control/plans/{name}'].delete.responses['409'].description).toMatch(/Tenants are on the plan/);
  });
});

/** Polls `probe` until it gives a value (background jobs and the change feed take a moment), failing after a while. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
