import { createHash } from 'node:crypto';
import { addMember, adminToken, createUser, loginAs, tenantAdminSession, unique } from './support/factories';
import { TEST_ADMIN, startTestApp, TestApp } from './support/test-app';

/** API keys of tenants (/api) and of the platform (/control), over real HTTP against real PostgreSQL. */
describe('API keys', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  async function createKey(token: string, body: object) {
    const response = await t.api.post('/api/api-keys', { name: unique('integration'), ...body }, { token });
    if (response.status !== 201) throw new Error(`key creation failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; key: string; prefix: string; permissions: string[] };
  }

  it('acts in its tenant with exactly its permissions, without a tenant header', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const created = await createKey(token, { permissions: ['notes.write', 'notes.read'] });
    expect(created.key).toMatch(/^tnt_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created.permissions).toEqual(['notes.read', 'notes.write']);

    const note = await t.api.post('/api/notes', { title: 'from the integration' }, { token: created.key });
    expect(note.status).toBe(201);
    expect((await t.api.get('/api/notes', { token: created.key })).status).toBe(200);
    const refused = await t.api.get('/api/users', { token: created.key });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('This API key does not grant the permission users.read');
  });

  it('refuses at creation every permission the creator does not hold, naming each', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    await t.api.post('/api/roles', { name: 'integrator', permissions: ['notes.read', 'api_keys.manage'] }, { token });
    const integrator = await createUser(t.api, platformAdmin);
    await addMember(t.api, platformAdmin, tenant.id, integrator.email, 'integrator');
    const session = (await loginAs(t.api, integrator.email, integrator.password)).accessToken;

    const tooMuch = { name: 'too much', permissions: ['notes.read', 'notes.write', 'users.manage'] };
    const refused = await t.api.post('/api/api-keys', tooMuch, { token: session });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('You cannot grant permissions you do not hold: notes.write, users.manage');
    expect(refused.body.details).toEqual([
      { field: 'permissions', problems: ['notes.write is not granted to you', 'users.manage is not granted to you'] },
    ]);
    expect(await t.sql('SELECT id FROM api_keys WHERE tenant_id = $1', [tenant.id])).toHaveLength(0);

    const created = await createKey(session, { permissions: ['notes.read'] });
    expect((await t.api.get('/api/notes', { token: created.key })).status).toBe(200);
  });

  it('never does more than its creator may now: a narrowed role narrows the key, a removed creator ends it', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    await t.api.post('/api/roles', { name: 'integrator', permissions: ['notes.read', 'notes.write', 'api_keys.manage'] }, { token });
    const integrator = await createUser(t.api, platformAdmin);
    await addMember(t.api, platformAdmin, tenant.id, integrator.email, 'integrator');
    const session = (await loginAs(t.api, integrator.email, integrator.password)).accessToken;
    const { key } = await createKey(session, { permissions: ['notes.read', 'notes.write'] });

    await t.api.patch('/api/roles/integrator', { permissions: ['notes.read', 'api_keys.manage'] }, { token });
    expect((await t.api.get('/api/notes', { token: key })).status).toBe(200);
    expect((await t.api.post('/api/notes', { title: 'no longer' }, { token: key })).status).toBe(403);

    expect((await t.api.delete(`/control/tenants/${tenant.id}/members/${integrator.id}`, { token: platformAdmin })).status).toBe(204);
    const ended = await t.api.get('/api/notes', { token: key });
    expect(ended.status).toBe(401);
    expect(ended.body.message).toMatch(/creator is no longer an active member/);
  });

  it('lists keys without their secrets, stores only a hash, and records the last use', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const created = await createKey(token, { permissions: ['notes.read'], expiresAt: '2999-01-01T00:00:00Z' });
    expect((await t.api.get('/api/notes', { token: created.key })).status).toBe(200);

    const list = await t.api.get('/api/api-keys', { token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: created.id,
        prefix: created.prefix,
        permissions: ['notes.read'],
        expiresAt: '2999-01-01T00:00:00.000Z',
        revokedAt: null,
      }),
    ]);
    expect(list.body[0].lastUsedAt).toEqual(expect.any(String));
    expect(list.body[0].key).toBeUndefined();
    const secret = created.key.slice(created.prefix.length + 1);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const [row] = await t.sql('SELECT row_to_json(api_keys)::text AS text, encode(secret_hash, $2) AS hash FROM api_keys WHERE id = $1', [
      created.id,
      'hex',
    ]);
    expect(row.text).not.toContain(secret);
    expect(row.hash).toBe(createHash('sha256').update(secret).digest('hex'));
  });

  it('is refused (401) at once when revoked, and revoking is the creator tenant’s business only', async () => {
    const a = await tenantAdminSession(t.api, platformAdmin);
    const b = await tenantAdminSession(t.api, platformAdmin);
    const created = await createKey(a.token, { permissions: ['notes.read'] });
    expect((await t.api.get('/api/notes', { token: created.key })).status).toBe(200);

    expect((await t.api.delete(`/api/api-keys/${created.id}`, { token: b.token })).status).toBe(404);
    expect((await t.api.get('/api/notes', { token: created.key })).status).toBe(200);

    expect((await t.api.delete(`/api/api-keys/${created.id}`, { token: a.token })).status).toBe(204);
    const refused = await t.api.get('/api/notes', { token: created.key });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('API key has been revoked');
    expect((await t.api.delete(`/api/api-keys/${created.id}`, { token: a.token })).status).toBe(204);
    expect((await t.api.get('/api/api-keys', { token: a.token })).body[0].revokedAt).toEqual(expect.any(String));
  });

  it('is refused at once on every app process when revoked, not after a cache expires', async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl });
    try {
      const { token } = await tenantAdminSession(t.api, platformAdmin);
      const created = await createKey(token, { permissions: ['notes.read'] });
      expect((await second.api.get('/api/notes', { token: created.key })).status).toBe(200);
      expect((await t.api.delete(`/api/api-keys/${created.id}`, { token })).status).toBe(204);
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) status = (await second.api.get('/api/notes', { token: created.key })).status;
      expect(status).toBe(401);
    } finally {
      await second.stop();
    }
  });

  it('is refused (401) once expired, and cannot be created already expired', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const lateBody = { name: 'late', permissions: ['notes.read'], expiresAt: '2020-01-01T00:00:00Z' };
    const past = await t.api.post('/api/api-keys', lateBody, { token });
    expect(past.status).toBe(400);
    expect(past.body.details).toEqual([{ field: 'expiresAt', problems: ['must be in the future'] }]);

    const expiresAt = new Date(Date.now() + 1500);
    const { key } = await createKey(token, { permissions: ['notes.read'], expiresAt: expiresAt.toISOString() });
    expect((await t.api.get('/api/notes', { token: key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    const refused = await t.api.get('/api/notes', { token: key });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('API key has expired');
  });

  it('is refused (401) when unknown, tampered with or malformed', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const { key } = await createKey(token, { permissions: ['notes.read'] });
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `tnt_live_0123456789abcdef_${'x'.repeat(43)}`;
    for (const presented of [tampered, unknown, 'tnt_live_short', key.replace('tnt_live', 'tnp_live')]) {
      const response = await t.api.get('/api/notes', { token: presented });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('API key is invalid');
    }
  });

  it('rejects invalid creations with a 400 naming the field', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const cases: Array<[object, string]> = [
      [{ name: 'x', permissions: ['notes.read', 'everything'] }, 'permissions'],
      [{ name: 'x', permissions: [] }, 'permissions'],
      [{ name: '', permissions: ['notes.read'] }, 'name'],
      [{ name: 'x', permissions: ['notes.read'], expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'x', permissions: ['notes.read'], scope: 'platform' }, 'scope'],
    ];
    for (const [body, field] of cases) {
      const response = await t.api.post('/api/api-keys', body, { token });
      expect(response.status).toBe(400);
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
  });

  it('stays in its tenant: another tenant named in x-tenant-id is a 403, its own tenant works', async () => {
    const a = await tenantAdminSession(t.api, platformAdmin);
    const b = await tenantAdminSession(t.api, platformAdmin);
    const { key } = await createKey(a.token, { permissions: ['notes.read'] });
    expect((await t.api.get('/api/notes', { token: key, headers: { 'x-tenant-id': a.tenant.id } })).status).toBe(200);
    const crossing = await t.api.get('/api/notes', { token: key, headers: { 'x-tenant-id': b.tenant.id } });
    expect(crossing.status).toBe(403);
    expect(crossing.body.message).toMatch(/x-tenant-id names/);
  });

  it('is refused (401) while its tenant is suspended, and works again once it is resumed', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    const { key } = await createKey(token, { permissions: ['notes.read'] });
    await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: platformAdmin });
    const refused = await t.api.get('/api/notes', { token: key });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/tenant is not active/);
    await t.api.post(`/control/tenants/${tenant.id}/resume`, undefined, { token: platformAdmin });
    expect((await t.api.get('/api/notes', { token: key })).status).toBe(200);
  });

  it('keeps tenant keys off /control, /auth and key management', async () => {
    const { token } = await tenantAdminSession(t.api, platformAdmin);
    const { key, id } = await createKey(token, { permissions: ['notes.read', 'api_keys.manage'] });
    for (const path of ['/control/tenants', '/auth/me', '/control/api-keys']) {
      const response = await t.api.get(path, { token: key });
      expect(response.status).toBe(403);
      expect(response.body.message).toBe('A tenant API key works only on /api routes');
    }
    expect((await t.api.post('/auth/switch-tenant', { tenant: 'anything' }, { token: key })).status).toBe(403);
    expect((await t.api.get('/api/api-keys', { token: key })).status).toBe(200);
    const minting = await t.api.post('/api/api-keys', { name: 'child', permissions: ['notes.read'] }, { token: key });
    expect(minting.status).toBe(403);
    expect(minting.body.message).toBe('API keys cannot call this route; a signed-in user must');
    expect((await t.api.delete(`/api/api-keys/${id}`, { token: key })).status).toBe(403);
  });

  it('lets a platform key work /control as a platform admin, but not /api, /auth, keys or platform roles', async () => {
    const created = await t.api.post('/control/api-keys', { name: 'fleet-monitor' }, { token: platformAdmin });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^tnp_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.permissions).toEqual([]);

    expect((await t.api.get('/control/tenants', { token: key })).status).toBe(200);
    const { tenant } = await tenantAdminSession(t.api, platformAdmin);
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: key })).status).toBe(200);

    const onApi = await t.api.get('/api/notes', { token: key, headers: { 'x-tenant-id': tenant.id } });
    expect(onApi.status).toBe(403);
    expect(onApi.body.message).toBe('A platform API key works only on /control routes');
    expect((await t.api.get('/auth/me', { token: key })).status).toBe(403);
    const user = await createUser(t.api, platformAdmin);
    for (const [method, path, body] of [
      ['POST', '/control/api-keys', { name: 'child' }],
      ['DELETE', `/control/api-keys/${created.body.id}`, undefined],
      ['PUT', `/control/users/${user.id}/platform-role`, { role: 'platform_admin' }],
      ['POST', '/control/invitations', { email: 'new-admin@example.test', platformRole: 'platform_admin' }],
      ['PATCH', `/control/users/${user.id}`, { password: 'a-new-long-enough-password' }],
    ] as const) {
      const response = await t.api.request<{ message: string }>(method, path, body, { token: key });
      expect(response.status).toBe(403);
      expect(response.body.message).toBe('API keys cannot call this route; a signed-in user must');
    }
    const [row] = await t.sql('SELECT platform_role FROM users WHERE id = $1', [user.id]);
    expect(row.platform_role).toBeNull();

    const listed = await t.api.get('/control/api-keys', { token: platformAdmin });
    const entry = listed.body.find((listedKey: { id: string }) => listedKey.id === created.body.id);
    expect(entry).toMatchObject({ name: 'fleet-monitor', prefix: created.body.prefix });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect((await t.api.delete(`/control/api-keys/${created.body.id}`, { token: platformAdmin })).status).toBe(204);
    expect((await t.api.get('/control/tenants', { token: key })).status).toBe(401);
  });

  it('keeps platform key management to platform admins and tenant keys to holders of api_keys.manage', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    expect((await t.api.post('/control/api-keys', { name: 'nope' }, { token })).status).toBe(403);
    const member = await createUser(t.api, platformAdmin);
    await addMember(t.api, platformAdmin, tenant.id, member.email, 'member');
    const session = (await loginAs(t.api, member.email, member.password)).accessToken;
    const refused = await t.api.post('/api/api-keys', { name: 'nope', permissions: ['notes.read'] }, { token: session });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/api_keys.manage/);
  });

  it('audits creation and revocation without the secret, and names the key beside its creator in what it does', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin);
    const created = await createKey(token, { permissions: ['roles.manage', 'notes.read'] });
    expect((await t.api.post('/api/roles', { name: 'made_by_key', permissions: ['notes.read'] }, { token: created.key })).status).toBe(201);
    await t.api.delete(`/api/api-keys/${created.id}`, { token });

    const rows = await t.sql(
      `SELECT action, actor_user_id, actor_api_key_id, tenant_id, changes::text AS changes FROM audit_log
        WHERE target_id = $1 OR (action = 'tenant_role.create' AND tenant_id = $2) ORDER BY id`,
      [created.id, tenant.id],
    );
    expect(rows.map((row) => [row.action, row.actor_user_id, row.actor_api_key_id, row.tenant_id])).toEqual([
      ['api_key.create', tenant.admin.id, null, tenant.id],
      ['tenant_role.create', tenant.admin.id, created.id, tenant.id],
      ['api_key.revoke', tenant.admin.id, null, tenant.id],
    ]);
    const secret = created.key.slice(created.prefix.length + 1);
    for (const row of rows) expect(row.changes).not.toContain(secret);
    expect(JSON.parse(rows[0].changes)).toMatchObject({ prefix: created.prefix, permissions: ['notes.read', 'roles.manage'] });

    const platformKey = (await t.api.post('/control/api-keys', { name: 'ops' }, { token: platformAdmin })).body;
    await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: platformKey.key });
    const [admin] = await t.sql('SELECT id FROM users WHERE email = $1', [TEST_ADMIN.email]);
    const byKey = await t.api.get(`/control/audit?actorApiKeyId=${platformKey.id}`, { token: platformAdmin });
    expect(byKey.body.items).toEqual([
      expect.objectContaining({ action: 'tenant.suspend', actorUserId: admin.id, actorApiKeyId: platformKey.id, targetId: tenant.id }),
    ]);
  });
});
