import { adminToken, createTenant, createUser, loginAs, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** Hostile and careless input: every case gets a clear 4xx in the standard shape and changes nothing. */
describe('bad input', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: '16384' } });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  const snapshot = async () =>
    (await t.sql('SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM audit_log) AS audit'))[0];

  async function expectRejected(response: { status: number; body: any }, status: number, message: RegExp) {
    expect(response.status).toBe(status);
    expect(Object.keys(response.body).sort()).toEqual(expect.arrayContaining(['error', 'message', 'statusCode']));
    expect(response.body.statusCode).toBe(status);
    expect(response.body.message).toMatch(message);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  }

  it('rejects malformed JSON with 400', async () => {
    const before = await snapshot();
    await expectRejected(await t.api.post('/control/tenants', undefined, { token: admin, rawBody: '{"slug": "acme",' }), 400, /JSON/);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects unknown fields with 400 naming them', async () => {
    const before = await snapshot();
    const response = await t.api.post(
      '/control/tenants',
      { slug: 'valid-slug', name: 'n', plan: 'starter', placement: 'pooled', admin: { email: 'owner@example.test' }, isAdmin: true },
      { token: admin },
    );
    await expectRejected(response, 400, /isAdmin should not exist/);
    expect(response.body.details).toEqual([{ field: 'isAdmin', problems: ['property isAdmin should not exist'] }]);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a body sent to a route that takes none with 400, changing nothing; an empty one is no body', async () => {
    const tenant = await createTenant(t.api, admin, { placement: 'pooled' });
    const before = await snapshot();
    const refused = await t.api.post(`/control/tenants/${tenant.id}/suspend`, { reason: 'spam', force: true }, { token: admin });
    await expectRejected(refused, 400, /takes no request body/);
    expect(refused.body.details).toEqual([{ field: 'body', problems: [expect.stringContaining('must be empty')] }]);
    expect(await snapshot()).toEqual(before);
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body.status).toBe('active');
    expect((await t.api.post(`/control/tenants/${tenant.id}/suspend`, {}, { token: admin })).status).toBe(200);
  });

  it('rejects wrong types and bad enum values with one entry per field', async () => {
    const response = await t.api.post(
      '/control/tenants',
      { slug: 42, name: ['x'], plan: 'Platinum Plan', placement: 'cloud' },
      { token: admin },
    );
    await expectRejected(response, 400, /Validation failed/);
    expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'admin',
      'name',
      'placement',
      'plan',
      'slug',
    ]);
  });

  it('rejects a body over the configured limit with 413', async () => {
    const before = await snapshot();
    const response = await t.api.post(
      '/control/tenants',
      { slug: 'big', name: 'x'.repeat(20_000), plan: 'starter', placement: 'pooled' },
      { token: admin },
    );
    await expectRejected(response, 413, /too large/i);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await t.api.post('/control/tenants', undefined, {
      token: admin,
      rawBody: 'slug=acme',
      headers: { 'content-type': 'text/plain' },
    });
    await expectRejected(response, 415, /content-type/i);
  });

  it('refuses SQL-ish slugs and stores SQL-ish names verbatim, harmlessly', async () => {
    await expectRejected(
      await t.api.post(
        '/control/tenants',
        { slug: "x'; DROP TABLE tenants;--", name: 'n', plan: 'starter', placement: 'pooled' },
        { token: admin },
      ),
      400,
      /slug must be a DNS label/,
    );
    const name = "Robert'); DROP TABLE tenants;-- %_\\";
    const tenant = await createTenant(t.api, admin, { name });
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body.name).toBe(name);
    const search = await t.api.get(`/control/tenants?search=${encodeURIComponent("'); DROP TABLE tenants;-- %_")}`, { token: admin });
    expect(search.body.items.map((item: { id: string }) => item.id)).toEqual([tenant.id]);
    expect((await t.sql('SELECT count(*)::int AS n FROM tenants'))[0].n).toBeGreaterThan(0);
  });

  it('refuses control characters in names and over-long values', async () => {
    await expectRejected(
      await t.api.post('/auth/invitations/accept', { token: 'x'.repeat(43), password: 'long-enough-password', name: 'a\u0001b' }),
      400,
      /control characters/,
    );
    await expectRejected(
      await t.api.post('/control/invitations', { email: `${'a'.repeat(250)}@example.test` }, { token: admin }),
      400,
      /email/,
    );
    await expectRejected(
      await t.api.post('/auth/invitations/accept', { token: 'x'.repeat(43), password: 'short' }),
      400,
      /password must be longer/,
    );
  });

  it('rejects bad query parameters: unknown ones, out-of-range limits, bad enums', async () => {
    await expectRejected(await t.api.get('/control/users?limit=0', { token: admin }), 400, /limit/);
    await expectRejected(await t.api.get('/control/users?limit=abc', { token: admin }), 400, /limit/);
    await expectRejected(await t.api.get('/control/users?status=root', { token: admin }), 400, /status/);
    await expectRejected(await t.api.get('/control/users?sort=password', { token: admin }), 400, /sort should not exist/);
  });

  it('rejects login payloads of the wrong shape with 400, not 401 or 500', async () => {
    await expectRejected(await t.api.post('/auth/login', { email: { $ne: null }, password: 'x' }), 400, /email must be a string/);
    await expectRejected(await t.api.post('/auth/login', ['admin']), 400, /Validation failed|email/);
    await expectRejected(await t.api.post('/auth/refresh', {}), 400, /refreshToken/);
  });

  it('lets a change clear an optional field but never blank a required one (400, not a database error)', async () => {
    const tenant = await createTenant(t.api, admin, { plan: 'professional' });
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    const account = (await t.api.post('/api/accounts', { name: 'Acme', domain: 'acme.example' }, { token })).body;
    const contact = (await t.api.post('/api/contacts', { firstName: 'Jane', lastName: 'Doe' }, { token })).body;
    const deal = (await t.api.post('/api/deals', { name: 'Renewal', currency: 'EUR' }, { token })).body;
    const note = (await t.api.post('/api/notes', { title: 'Call back', body: '' }, { token })).body;
    for (const [path, field] of [
      [`/api/accounts/${account.id}`, 'name'],
      [`/api/contacts/${contact.id}`, 'lastName'],
      [`/api/deals/${deal.id}`, 'name'],
      [`/api/notes/${note.id}`, 'title'],
    ]) {
      const response = await t.api.patch(path, { [field]: null }, { token });
      await expectRejected(response, 400, new RegExp(field));
      expect(response.body.details[0].field).toBe(field);
    }
    expect((await t.api.patch(`/api/accounts/${account.id}`, { domain: null }, { token })).body).toMatchObject({
      name: 'Acme',
      domain: null,
    });
  });

  it('refuses dates that do not exist with 400 naming the field, before they reach the database', async () => {
    const { token } = await tenantAdminSession(t.api, admin, { plan: 'professional' });
    const deal = (await t.api.post('/api/deals', { name: 'Renewal', currency: 'EUR' }, { token })).body;
    for (const [response, field] of [
      [await t.api.patch(`/api/deals/${deal.id}`, { expectedCloseDate: '2027-02-30' }, { token }), 'expectedCloseDate'],
      [await t.api.get('/api/deals?closingBy=2027-13-01', { token }), 'closingBy'],
      [
        await t.api.post(
          '/api/activities',
          { type: 'task', subject: 'Call', relatedType: 'deal', relatedId: deal.id, dueAt: '2027-02-30T10:00:00Z' },
          { token },
        ),
        'dueAt',
      ],
    ] as const) {
      await expectRejected(response, 400, new RegExp(field));
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    expect((await t.api.get(`/api/deals/${deal.id}`, { token })).body.expectedCloseDate ?? null).toBeNull();
  });

  it('keeps ids of the wrong shape out of the database layer', async () => {
    const user = await createUser(t.api, admin);
    await expectRejected(await t.api.patch(`/control/users/${user.id}'--`, { name: 'x' }, { token: admin }), 400, /uuid/);
    await expectRejected(await t.api.put(`/control/users/${user.id}/platform-role`, { role: 'god' }, { token: admin }), 400, /role/);
  });
});
