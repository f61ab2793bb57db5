import { createHmac } from 'node:crypto';
import {
  addMember,
  adminToken,
  createTenant,
  createUser,
  inviteIntoTenant,
  loginAs,
  tenantAdminSession,
  tenantWithUsers,
  unique,
} from './support/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Builds a JWT by hand, so tests can forge what an attacker would. */
function craftToken(header: object, claims: object, secret?: string): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  const signature = secret ? createHmac('sha256', secret).update(unsigned).digest('base64url') : '';
  return `${unsigned}.${signature}`;
}

describe('auth', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' } });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  describe('login', () => {
    it('signs a single-tenant user straight into their tenant with the tenant role in the token', async () => {
      const { tenant, admin: tenantAdmin } = await tenantWithUsers(t.api, admin);
      const session = await loginAs(t.api, tenantAdmin.email, tenantAdmin.password);
      expect(session.tenant?.id).toBe(tenant.id);
      const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({ sub: tenantAdmin.id, tid: tenant.id, roles: ['tenant_admin'], iss: 'tenantry', aud: 'tenantry-api' });
      expect(claims.exp - claims.iat).toBe(900);
    });

    it('answers a wrong password and an unknown email with the same 401 in similar time', async () => {
      const user = await createUser(t.api, admin);
      const timings = { wrongPassword: [] as number[], unknownEmail: [] as number[] };
      const bodies = new Set<string>();
      for (let i = 0; i < 3; i += 1) {
        for (const [kind, email] of [
          ['wrongPassword', user.email],
          ['unknownEmail', `nobody-${i}@example.test`],
        ] as const) {
          const started = performance.now();
          const response = await t.api.post('/auth/login', { email, password: `wrong-password-${i}` });
          timings[kind].push(performance.now() - started);
          expect(response.status).toBe(401);
          bodies.add(JSON.stringify(response.body));
        }
      }
      expect([...bodies]).toEqual([JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' })]);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      // Both paths run one argon2 verification; without the decoy hash the unknown email would answer ~10x faster.
      expect(median(timings.unknownEmail) / median(timings.wrongPassword)).toBeGreaterThan(0.3);
    });

    it('throttles an account after repeated failures, even for the right password, and says when to retry', async () => {
      const user = await createUser(t.api, admin);
      for (let i = 0; i < 3; i += 1)
        expect((await t.api.post('/auth/login', { email: user.email, password: 'wrong-password' })).status).toBe(401);
      const throttled = await t.api.post('/auth/login', { email: user.email, password: user.password });
      expect(throttled.status).toBe(429);
      expect(throttled.body.message).toMatch(/account/);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      const otherUser = await createUser(t.api, admin);
      expect((await t.api.post('/auth/login', { email: otherUser.email, password: otherUser.password })).status).toBe(200);
    });

    it('audits failed and successful logins without the password', async () => {
      const user = await createUser(t.api, admin);
      await t.api.post('/auth/login', { email: user.email, password: 'not-the-password' });
      await loginAs(t.api, user.email, user.password);
      const rows = await t.sql("SELECT action, changes FROM audit_log WHERE target_id = $1 AND action LIKE 'auth.%' ORDER BY id", [
        user.id,
      ]);
      expect(rows.map((row) => row.action)).toEqual(['auth.login_failed', 'auth.login']);
      expect(JSON.stringify(rows)).not.toContain('not-the-password');
    });

    it('makes a user of several tenants choose, and refuses a tenant they do not belong to like one that does not exist', async () => {
      const user = await createUser(t.api, admin);
      const first = await createTenant(t.api, admin);
      const second = await createTenant(t.api, admin);
      const stranger = await createTenant(t.api, admin);
      await addMember(t.api, admin, first.id, user.email, 'member');
      await addMember(t.api, admin, second.id, user.email, 'tenant_admin');

      expect((await loginAs(t.api, user.email, user.password)).tenant).toBeNull();
      expect((await loginAs(t.api, user.email, user.password, second.slug)).roles).toEqual(['tenant_admin']);
      expect((await loginAs(t.api, user.email, user.password, first.id)).roles).toEqual(['member']);

      const notMember = await t.api.post('/auth/login', { email: user.email, password: user.password, tenant: stranger.slug });
      const missing = await t.api.post('/auth/login', { email: user.email, password: user.password, tenant: 'no-such-tenant' });
      expect(notMember.status).toBe(403);
      expect(missing.status).toBe(403);
      expect(notMember.body.message.replace(stranger.slug, 'X')).toBe(missing.body.message.replace('no-such-tenant', 'X'));
    });

    it('refuses sign-in to a suspended tenant with 403', async () => {
      const { tenant, member } = await tenantWithUsers(t.api, admin);
      await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin });
      const response = await t.api.post('/auth/login', { email: member.email, password: member.password, tenant: tenant.slug });
      expect(response.status).toBe(403);
      expect(response.body.message).toMatch(/suspended/);
    });
  });

  describe('refresh tokens', () => {
    it('rotates: each refresh returns a new pair and the old refresh token stops working', async () => {
      const user = await createUser(t.api, admin);
      const first = await loginAs(t.api, user.email, user.password);
      const second = await t.api.post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      const third = await t.api.post('/auth/refresh', { refreshToken: second.body.refreshToken });
      expect(third.status).toBe(200);
    });

    it('revokes the whole family when an already-used refresh token is presented again', async () => {
      const user = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      const rotated = await t.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      const replay = await t.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body.message).toMatch(/already used/);
      const legitimateNext = await t.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
      expect(legitimateNext.status).toBe(401);
      expect(legitimateNext.body.message).toMatch(/revoked/);
    });

    it('lets only one of two concurrent refreshes with the same token succeed', async () => {
      const user = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      const results = await Promise.all([1, 2].map(() => t.api.post('/auth/refresh', { refreshToken: login.refreshToken })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('rejects forged, malformed and unknown refresh tokens with 401', async () => {
      const user = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      const [id] = login.refreshToken.split('.');
      for (const refreshToken of [`${id}.${'A'.repeat(43)}`, 'garbage', `00000000-0000-4000-8000-000000000000.${'B'.repeat(43)}`]) {
        const response = await t.api.post('/auth/refresh', { refreshToken });
        expect(response.status).toBe(401);
      }
      expect((await t.api.post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(200);
    });

    it('ends the login on logout', async () => {
      const user = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      expect((await t.api.post('/auth/logout', { refreshToken: login.refreshToken })).status).toBe(204);
      expect((await t.api.post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
    });

    it('stops refreshing once the user is disabled or removed from the tenant', async () => {
      const { tenant, member, admin: tenantAdmin } = await tenantWithUsers(t.api, admin);
      const memberLogin = await loginAs(t.api, member.email, member.password);
      const adminLogin = await loginAs(t.api, tenantAdmin.email, tenantAdmin.password);
      await t.api.patch(`/control/users/${member.id}`, { status: 'disabled' }, { token: admin });
      // Another tenant admin first: the last one cannot be removed.
      await addMember(t.api, admin, tenant.id, (await createUser(t.api, admin)).email, 'tenant_admin');
      expect((await t.api.delete(`/control/tenants/${tenant.id}/members/${tenantAdmin.id}`, { token: admin })).status).toBe(204);
      expect((await t.api.post('/auth/refresh', { refreshToken: memberLogin.refreshToken })).status).toBe(401);
      expect((await t.api.post('/auth/refresh', { refreshToken: adminLogin.refreshToken })).status).toBe(401);
      expect((await t.api.post('/auth/login', { email: member.email, password: member.password })).status).toBe(401);
    });
  });

  describe('switch tenant', () => {
    it('moves a user of several tenants to another tenant and consumes the old refresh token', async () => {
      const user = await createUser(t.api, admin);
      const first = await createTenant(t.api, admin);
      const second = await createTenant(t.api, admin);
      await addMember(t.api, admin, first.id, user.email, 'member');
      await addMember(t.api, admin, second.id, user.email, 'tenant_admin');
      const login = await loginAs(t.api, user.email, user.password, first.slug);

      const switched = await t.api.post(
        '/auth/switch-tenant',
        { tenant: second.slug, refreshToken: login.refreshToken },
        { token: login.accessToken },
      );
      expect(switched.status).toBe(200);
      expect(switched.body.tenant.id).toBe(second.id);
      expect(switched.body.roles).toEqual(['tenant_admin']);
      expect((await t.api.get('/api/tenant', { token: switched.body.accessToken })).body.id).toBe(second.id);
      expect((await t.api.post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
    });

    it('refuses a tenant the user is not a member of without ending the login, and another user’s refresh token', async () => {
      const { tenant } = await tenantWithUsers(t.api, admin);
      const user = await createUser(t.api, admin);
      const other = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      const otherLogin = await loginAs(t.api, other.email, other.password);
      expect(
        (await t.api.post('/auth/switch-tenant', { tenant: tenant.slug, refreshToken: login.refreshToken }, { token: login.accessToken }))
          .status,
      ).toBe(403);
      const stillSignedIn = await t.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(stillSignedIn.status).toBe(200);
      await addMember(t.api, admin, tenant.id, user.email, 'member');
      const stolen = await t.api.post(
        '/auth/switch-tenant',
        { tenant: tenant.slug, refreshToken: otherLogin.refreshToken },
        { token: stillSignedIn.body.accessToken },
      );
      expect(stolen.status).toBe(401);
    });
  });

  describe('access tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);

    async function adminClaims() {
      const [, payload] = (await adminToken(t.api)).split('.');
      return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    }

    it('rejects a missing token, an expired token, a forged signature, alg none, another secret and the wrong audience', async () => {
      const claims = await adminClaims();
      const header = { alg: 'HS256', typ: 'JWT' };
      const cases: Array<[string, string | undefined, RegExp]> = [
        ['missing', undefined, /Missing bearer/],
        ['expired', craftToken(header, { ...claims, iat: now() - 3600, exp: now() - 60 }, t.jwtSecret), /expired/],
        ['forged signature', `${craftToken(header, { ...claims, roles: ['platform_admin'] }, t.jwtSecret).slice(0, -4)}AAAA`, /invalid/],
        ['alg none', craftToken({ alg: 'none', typ: 'JWT' }, claims), /invalid/],
        ['another secret', craftToken(header, claims, 'some-other-secret-some-other-secret-123'), /invalid/],
        ['wrong audience', craftToken(header, { ...claims, aud: 'someone-else' }, t.jwtSecret), /invalid/],
        ['garbage', 'not.a.jwt', /invalid/],
      ];
      for (const [name, token, message] of cases) {
        const response = await t.api.get('/control/tenants', { token });
        expect({ name, status: response.status }).toEqual({ name, status: 401 });
        expect(response.body.message).toMatch(message);
      }
      expect((await t.api.get('/control/tenants', { token: craftToken(header, claims, t.jwtSecret) })).status).toBe(200);
    });

    it('cuts a demoted or disabled platform admin off the control plane at once, token or not', async () => {
      const user = await createUser(t.api, admin);
      await t.api.put(`/control/users/${user.id}/platform-role`, { role: 'platform_admin' }, { token: admin });
      const token = (await loginAs(t.api, user.email, user.password)).accessToken;
      expect((await t.api.get('/control/users', { token })).status).toBe(200);
      await t.api.put(`/control/users/${user.id}/platform-role`, { role: null }, { token: admin });
      expect((await t.api.get('/control/users', { token })).status).toBe(401);
      const demoted = (await loginAs(t.api, user.email, user.password)).accessToken;
      expect((await t.api.get('/control/users', { token: demoted })).status).toBe(403);
      await t.api.patch(`/control/users/${user.id}`, { status: 'disabled' }, { token: admin });
      expect((await t.api.get('/auth/me', { token: demoted })).status).toBe(401);
    });
  });

  describe('GET /auth/me', () => {
    it('shows the user, the current tenant and every membership', async () => {
      const { tenant, admin: tenantAdmin } = await tenantWithUsers(t.api, admin);
      const login = await loginAs(t.api, tenantAdmin.email, tenantAdmin.password);
      const me = await t.api.get('/auth/me', { token: login.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: tenantAdmin.id, email: tenantAdmin.email, tenant: { id: tenant.id, role: 'tenant_admin' } });
      expect(me.body.memberships).toHaveLength(1);
      expect(JSON.stringify(me.body)).not.toMatch(/password/i);
    });

    it('lists exactly what a custom role grants, the set the /api routes decide by, and a change to the role at once', async () => {
      const { tenant, token: tenantAdmin } = await tenantAdminSession(t.api, admin);
      const granted = ['tenant.read', 'webhooks.read', 'webhooks.manage'];
      expect((await t.api.post('/api/roles', { name: 'integrator', permissions: granted }, { token: tenantAdmin })).status).toBe(201);
      const email = `${unique('integrator')}@example.test`;
      await inviteIntoTenant(t.api, tenantAdmin, email, 'integrator');
      const { accessToken } = await loginAs(t.api, email, 'a-long-enough-password');

      const me = await t.api.get('/auth/me', { token: accessToken });
      expect(me.body.tenant).toMatchObject({ id: tenant.id, role: 'integrator' });
      expect(me.body.tenant.permissions.map((permission: { name: string }) => permission.name)).toEqual(granted);
      expect(me.body.tenant.permissions[2].description).toMatch(/webhook endpoints/);
      expect((await t.api.get('/api/webhooks', { token: accessToken })).status).toBe(200);
      const refused = await t.api.get('/api/api-keys', { token: accessToken });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('Your role "integrator" does not grant the permission api_keys.manage');

      await t.api.patch('/api/roles/integrator', { permissions: ['tenant.read', 'api_keys.manage'] }, { token: tenantAdmin });
      const changed = await t.api.get('/auth/me', { token: accessToken });
      expect(changed.body.tenant.permissions.map((permission: { name: string }) => permission.name)).toEqual([
        'tenant.read',
        'api_keys.manage',
      ]);
      expect((await t.api.get('/api/api-keys', { token: accessToken })).status).toBe(200);
    });

    it('lists every tenant permission for a tenant admin, and none for a platform admin signed into no tenant', async () => {
      const { token: tenantAdmin } = await tenantAdminSession(t.api, admin);
      const catalog = await t.api.get('/api/permissions', { token: tenantAdmin });
      const me = await t.api.get('/auth/me', { token: tenantAdmin });
      expect(me.body.tenant.role).toBe('tenant_admin');
      expect(me.body.tenant.permissions).toEqual(catalog.body);

      const platformAdmin = await t.api.get('/auth/me', { token: admin });
      expect(platformAdmin.body).toMatchObject({ platformRole: 'platform_admin', tenant: null });
    });
  });

  it('keeps the platform admin able to log in after all this', async () => {
    expect((await t.api.post('/auth/login', TEST_ADMIN)).status).toBe(200);
  });
});

describe('auth throttling per client IP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_IP: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', TRUST_PROXY: 'true' } });
  });

  afterAll(() => t.close());

  it('slows down an address spraying many accounts, and only that address', async () => {
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await t.api.post('/auth/login', { email: `victim-${i}@example.test`, password: 'guess-guess' }, from('203.0.113.9'))).status,
      ).toBe(401);
    }
    const throttled = await t.api.post('/auth/login', TEST_ADMIN, from('203.0.113.9'));
    expect(throttled.status).toBe(429);
    expect(throttled.body.message).toMatch(/IP address/);
    expect((await t.api.post('/auth/login', TEST_ADMIN, from('198.51.100.7'))).status).toBe(200);
  });
});
