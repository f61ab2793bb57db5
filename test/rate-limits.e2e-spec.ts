import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { adminToken, createUser, loginAs, tenantAdminSession, tenantWithUsers, unique } from './support/factories';
import { HttpResponse } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Rate limits of /api per tenant, per user and per API key, counted in the real Redis (a key
 * prefix of this run's own) and shared by every app process. The test app lifts the plans'
 * limits; each test sets the limits it needs on its tenants (a platform admin's override).
 */
describe('Rate limits', () => {
  const keyPrefix = `tenantry-test-${randomBytes(4).toString('hex')}:`;
  const env = { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix };
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp({ env });
    platformAdmin = await adminToken(t.api);
  });
  afterAll(async () => {
    await t.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const limit = (tenantId: string, tenantRequestsPerMinute: number | null, principalRequestsPerMinute: number | null) =>
    t.api.put(
      `/control/tenants/${tenantId}/rate-limits`,
      { tenantRequestsPerMinute, principalRequestsPerMinute },
      { token: platformAdmin },
    );

  async function statuses(count: number, call: () => Promise<HttpResponse>): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i += 1) seen.push((await call()).status);
    return seen;
  }

  it('answers 429 with Retry-After and the RateLimit headers to a tenant over its limit, while another tenant is served', async () => {
    const noisy = await tenantAdminSession(t.api, platformAdmin);
    const quiet = await tenantAdminSession(t.api, platformAdmin);
    await limit(noisy.tenant.id, 3, null);
    await limit(quiet.tenant.id, 3, null);

    const first = await t.api.get('/api/notes', { token: noisy.token });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"tenant";q=3;w=60, "user";q=1000000;w=60');
    expect(item(first, 'ratelimit', 'tenant')).toMatch(/^"tenant";r=2;t=(60|59)$/);
    expect(await statuses(2, () => t.api.get('/api/notes', { token: noisy.token }))).toEqual([200, 200]);

    const refused = await t.api.get('/api/notes', { token: noisy.token });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(item(refused, 'ratelimit', 'tenant')).toBe(`"tenant";r=0;t=${retryAfter}`);
    expect(item(refused, 'ratelimit-policy', 'tenant')).toBe('"tenant";q=3;w=60');
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `This tenant's rate limit of 3 requests per 60 seconds is reached; try again in ${retryAfter} seconds`,
      details: { limit: 'tenant', quota: 3, windowSeconds: 60 },
    });

    const other = await t.api.get('/api/notes', { token: quiet.token });
    expect(other.status).toBe(200);
    expect(item(other, 'ratelimit', 'tenant')).toMatch(/^"tenant";r=2;/);
  });

  it("limits each user on their own: one user over the per-user limit is refused, the tenant's other user is not", async () => {
    const { tenant, admin, member } = await tenantWithUsers(t.api, platformAdmin);
    await limit(tenant.id, 100, 2);
    const adminToken = (await loginAs(t.api, admin.email, admin.password, tenant.slug)).accessToken;
    const memberToken = (await loginAs(t.api, member.email, member.password, tenant.slug)).accessToken;

    expect(await statuses(3, () => t.api.get('/api/notes', { token: memberToken }))).toEqual([200, 200, 429]);
    const refused = await t.api.get('/api/notes', { token: memberToken });
    expect(refused.body.details).toEqual({ limit: 'user', quota: 2, windowSeconds: 60 });
    expect(refused.body.message).toMatch(/^Your rate limit of 2 requests per 60 seconds is reached/);

    const colleague = await t.api.get('/api/notes', { token: adminToken });
    expect(colleague.status).toBe(200);
    expect(colleague.headers.get('ratelimit-policy')).toBe('"tenant";q=100;w=60, "user";q=2;w=60');
    expect(colleague.headers.get('ratelimit')).toMatch(/^"tenant";r=95;t=\d+, "user";r=1;t=\d+$/);
  });

  it('limits each API key on its own, apart from the user who created it', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    const created = await t.api.post('/api/api-keys', { name: unique('integration'), permissions: ['notes.read'] }, { token });
    expect(created.status).toBe(201);
    await limit(tenant.id, null, 2);

    expect(await statuses(3, () => t.api.get('/api/notes', { token: created.body.key }))).toEqual([200, 200, 429]);
    const refused = await t.api.get('/api/notes', { token: created.body.key });
    expect(refused.body.details).toEqual({ limit: 'key', quota: 2, windowSeconds: 60 });
    expect(item(refused, 'ratelimit-policy', 'key')).toBe('"key";q=2;w=60');

    const creator = await t.api.get('/api/notes', { token });
    expect(creator.status).toBe(200);
    // The creator's own count: creating the key, and this request.
    expect(item(creator, 'ratelimit', 'user')).toMatch(/^"user";r=0;/);
  });

  it("applies a platform admin's override at once, keeps the minute's count, and audits it", async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    await limit(tenant.id, 2, null);
    expect(await statuses(3, () => t.api.get('/api/notes', { token }))).toEqual([200, 200, 429]);

    const raised = await limit(tenant.id, 10, null);
    expect(raised.status).toBe(200);
    expect(raised.body).toEqual({
      effective: { tenantRequestsPerMinute: 10, principalRequestsPerMinute: 1_000_000 },
      plan: { tenantRequestsPerMinute: 1_000_000, principalRequestsPerMinute: 1_000_000 },
      override: { tenantRequestsPerMinute: 10, principalRequestsPerMinute: null },
    });
    const served = await t.api.get('/api/notes', { token });
    expect(served.status).toBe(200);
    // The refused request counted too: 4 of 10.
    expect(item(served, 'ratelimit', 'tenant')).toMatch(/^"tenant";r=6;/);

    const [audit] = await t.sql(
      "SELECT changes FROM audit_log WHERE target_id = $1 AND action = 'tenant.rate_limits_override' ORDER BY id DESC",
      [tenant.id],
    );
    expect(audit.changes.tenantRequestsPerMinute).toEqual({ from: 2, to: 10 });

    const reset = await limit(tenant.id, null, null);
    expect(reset.body.effective).toEqual({ tenantRequestsPerMinute: 1_000_000, principalRequestsPerMinute: 1_000_000 });
  });

  it('refuses a bad override with a 400 naming the field, changing nothing', async () => {
    const { tenant } = await tenantAdminSession(t.api, platformAdmin);
    await limit(tenant.id, 5, null);
    const refused = await t.api.put(
      `/control/tenants/${tenant.id}/rate-limits`,
      { tenantRequestsPerMinute: 0, principalRequestsPerMinute: 'many' },
      { token: platformAdmin },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'principalRequestsPerMinute',
      'tenantRequestsPerMinute',
    ]);
    expect((await t.api.get(`/control/tenants/${tenant.id}/rate-limits`, { token: platformAdmin })).body.override).toEqual({
      tenantRequestsPerMinute: 5,
      principalRequestsPerMinute: null,
    });
  });

  it('lets only platform admins override, and answers 404 for an unknown tenant', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    const body = { tenantRequestsPerMinute: 1, principalRequestsPerMinute: 1 };
    expect((await t.api.put(`/control/tenants/${tenant.id}/rate-limits`, body, { token })).status).toBe(403);
    const unknown = await t.api.put('/control/tenants/00000000-0000-4000-8000-000000000000/rate-limits', body, { token: platformAdmin });
    expect(unknown.status).toBe(404);
  });

  it('shares the counts of two app processes through Redis, and an override made on one applies on the other at once', async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl, env });
    try {
      const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
      await limit(tenant.id, 4, null);
      const first = await statuses(2, () => t.api.get('/api/notes', { token }));
      const then = await statuses(3, () => second.api.get('/api/notes', { token }));
      expect([...first, ...then]).toEqual([200, 200, 200, 200, 429]);
      expect((await t.api.get('/api/notes', { token })).status).toBe(429);

      await limit(tenant.id, 1000, null);
      await waitFor(async () => (await second.api.get('/api/notes', { token })).status === 200);
    } finally {
      await second.stop();
    }
  });

  it('shares failed-login counts between app processes through Redis: the account is throttled on both', async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl, env });
    try {
      const user = await createUser(t.api, platformAdmin);
      const wrong = { email: user.email, password: 'wrong-password' };
      const failures = [
        ...(await statuses(3, () => t.api.post('/auth/login', wrong))),
        ...(await statuses(2, () => second.api.post('/auth/login', wrong))),
      ];
      expect(failures).toEqual([401, 401, 401, 401, 401]);
      const throttled = await t.api.post('/auth/login', { email: user.email, password: user.password });
      expect(throttled.status).toBe(429);
      expect(throttled.body.message).toMatch(/^Too many failed logins for this account; try again in \d+ seconds$/);
    } finally {
      await second.stop();
    }
  });

  it('keeps serving, limited per process, when Redis cannot be reached: never a 500', async () => {
    const lonely = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: keyPrefix },
    });
    try {
      const { tenant, token } = await tenantAdminSession(lonely.api, platformAdmin);
      await limit(tenant.id, 2, null);
      expect(await statuses(3, () => lonely.api.get('/api/notes', { token }))).toEqual([200, 200, 429]);
    } finally {
      await lonely.stop();
    }
  });
});

/** The item of one policy in a RateLimit or RateLimit-Policy header. */
function item(response: HttpResponse, header: string, policy: string): string | undefined {
  return (response.headers.get(header) ?? '').split(', ').find((entry) => entry.startsWith(`"${policy}";`));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
