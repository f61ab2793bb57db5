import { addMember, adminToken, createTenant, createUser, loginAs, tenantWithUsers } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

const SESSION_ENDED = 'The session has ended';

/** Polls until the token is refused on that app, for at most `timeoutMs`; answers how long it took, or null. */
async function msUntilRefused(api: HttpClient, path: string, token: string, timeoutMs = 2_000): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started <= timeoutMs) {
    const response = await api.get(path, { token });
    if (response.status === 401) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

describe('sessions end when they should', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  async function expectEnded(path: string, token: string) {
    const response = await t.api.get(path, { token });
    expect(response.status).toBe(401);
    expect(response.body.message).toBe(SESSION_ENDED);
  }

  it('refuses the access token of a login at once after logout, and only that login’s', async () => {
    const { member } = await tenantWithUsers(t.api, admin);
    const ended = await loginAs(t.api, member.email, member.password);
    const other = await loginAs(t.api, member.email, member.password);
    expect((await t.api.get('/api/notes', { token: ended.accessToken })).status).toBe(200);
    expect((await t.api.post('/auth/logout', { refreshToken: ended.refreshToken })).status).toBe(204);
    await expectEnded('/api/notes', ended.accessToken);
    await expectEnded('/auth/me', ended.accessToken);
    expect((await t.api.get('/api/notes', { token: other.accessToken })).status).toBe(200);
  });

  it('refuses the access tokens of a login whose refresh token was replayed', async () => {
    const user = await createUser(t.api, admin);
    const login = await loginAs(t.api, user.email, user.password);
    const rotated = await t.api.post('/auth/refresh', { refreshToken: login.refreshToken });
    expect((await t.api.post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
    await expectEnded('/auth/me', rotated.body.accessToken);
    await expectEnded('/auth/me', login.accessToken);
  });

  it('refuses tokens issued before a suspension even after the tenant is resumed, and serves a new login', async () => {
    const { tenant, member } = await tenantWithUsers(t.api, admin);
    const before = await loginAs(t.api, member.email, member.password);
    await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin });
    await expectEnded('/api/notes', before.accessToken);
    await t.api.post(`/control/tenants/${tenant.id}/resume`, undefined, { token: admin });
    await expectEnded('/api/notes', before.accessToken);
    const after = await loginAs(t.api, member.email, member.password);
    expect((await t.api.get('/api/notes', { token: after.accessToken })).status).toBe(200);
  });

  it('refuses tokens into a deleted tenant', async () => {
    const { tenant, member } = await tenantWithUsers(t.api, admin);
    const login = await loginAs(t.api, member.email, member.password);
    expect((await t.api.delete(`/control/tenants/${tenant.id}`, { token: admin })).status).toBe(200);
    await expectEnded('/auth/me', login.accessToken);
  });

  it('refuses a removed member’s token into that tenant, not into the tenants they still belong to', async () => {
    const { tenant, member } = await tenantWithUsers(t.api, admin);
    const other = await createTenant(t.api, admin);
    await addMember(t.api, admin, other.id, member.email, 'member');
    const intoRemoved = await loginAs(t.api, member.email, member.password, tenant.slug);
    const intoOther = await loginAs(t.api, member.email, member.password, other.slug);
    expect((await t.api.delete(`/control/tenants/${tenant.id}/members/${member.id}`, { token: admin })).status).toBe(204);
    await expectEnded('/api/notes', intoRemoved.accessToken);
    expect((await t.api.get('/api/notes', { token: intoOther.accessToken })).status).toBe(200);
  });

  it('refuses every token of a disabled user, and of a user whose platform role changed', async () => {
    const { member } = await tenantWithUsers(t.api, admin);
    const login = await loginAs(t.api, member.email, member.password);
    await t.api.patch(`/control/users/${member.id}`, { status: 'disabled' }, { token: admin });
    await expectEnded('/api/notes', login.accessToken);

    const promoted = await createUser(t.api, admin);
    const beforePromotion = await loginAs(t.api, promoted.email, promoted.password);
    await t.api.put(`/control/users/${promoted.id}/platform-role`, { role: 'platform_admin' }, { token: admin });
    await expectEnded('/auth/me', beforePromotion.accessToken);
    expect((await loginAs(t.api, promoted.email, promoted.password)).roles).toEqual(['platform_admin']);
  });

  describe('on a second app process sharing the control plane', () => {
    let second: TestApp;

    beforeAll(async () => {
      second = await startTestApp({ databaseUrl: t.databaseUrl });
    });

    afterAll(() => second.stop());

    it('ends a logged-out session there within a fraction of a second', async () => {
      const { member } = await tenantWithUsers(t.api, admin);
      const login = await loginAs(t.api, member.email, member.password);
      expect((await second.api.get('/api/notes', { token: login.accessToken })).status).toBe(200);
      await t.api.post('/auth/logout', { refreshToken: login.refreshToken });
      const took = await msUntilRefused(second.api, '/api/notes', login.accessToken);
      expect(took).not.toBeNull();
      expect((await second.api.get('/api/notes', { token: login.accessToken })).body.message).toBe(SESSION_ENDED);
    });

    it('ends a disabled user’s sessions and a suspended tenant’s there too', async () => {
      const a = await tenantWithUsers(t.api, admin);
      const b = await tenantWithUsers(t.api, admin);
      const disabled = await loginAs(t.api, a.member.email, a.member.password);
      const suspended = await loginAs(t.api, b.member.email, b.member.password);
      expect((await second.api.get('/api/notes', { token: disabled.accessToken })).status).toBe(200);
      expect((await second.api.get('/api/notes', { token: suspended.accessToken })).status).toBe(200);
      await t.api.patch(`/control/users/${a.member.id}`, { status: 'disabled' }, { token: admin });
      await t.api.post(`/control/tenants/${b.tenant.id}/suspend`, undefined, { token: admin });
      expect(await msUntilRefused(second.api, '/api/notes', disabled.accessToken)).not.toBeNull();
      expect(await msUntilRefused(second.api, '/api/notes', suspended.accessToken)).not.toBeNull();
    });

    it('reloads the revocations after its listening connection is cut, so none made meanwhile is missed', async () => {
      const user = await createUser(t.api, admin);
      const login = await loginAs(t.api, user.email, user.password);
      expect((await second.api.get('/auth/me', { token: login.accessToken })).status).toBe(200);
      // Cuts every process's listener, then revokes while they are (probably) still reconnecting.
      await t.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tenantry-change-feed'`);
      await t.api.post('/auth/logout', { refreshToken: login.refreshToken });
      expect(await msUntilRefused(second.api, '/auth/me', login.accessToken)).not.toBeNull();
    });
  });
});
