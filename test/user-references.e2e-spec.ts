import { addMember, adminToken, createTenant, createUser, loginAs, tenantWithUsers } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const NOT_A_MEMBER = [{ field: 'ownerUserId', problems: ['not a user of this tenant'] }];
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/**
 * Fields that name a user (`ownerUserId`, event staff) accept only users of the current tenant:
 * a user of another tenant is answered exactly like an id that does not exist (404 naming the
 * field) and nothing is stored.
 */
describe.each(['pooled', 'dedicated'])('references to users (%s tenant)', (placement) => {
  let platformAdmin: string;
  let tenantId: string;
  let token: string;
  let adminId: string;
  let memberId: string;
  let userOfOtherTenant: string;
  let accountId: string;

  const resources = [
    { name: 'accounts', body: () => ({ name: 'Acme' }) },
    { name: 'contacts', body: () => ({ firstName: 'Ada', lastName: 'Lovelace' }) },
    { name: 'deals', body: () => ({ name: 'Renewal' }) },
    { name: 'activities', body: () => ({ type: 'call', subject: 'Intro call', relatedType: 'account', relatedId: accountId }) },
    {
      name: 'events',
      body: () => ({ name: 'Fair', dates: [{ startsAt: '2027-05-14T09:00:00Z', endsAt: '2027-05-14T17:00:00Z', timeZone: 'UTC' }] }),
    },
  ];

  const idsOf = async (name: string) =>
    (await t.api.get(`/api/${name}?limit=100`, { token })).body.items.map((item: { id: string }) => item.id).sort();

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
    const ours = await tenantWithUsers(t.api, platformAdmin, { placement, plan: 'professional' });
    const theirs = await createTenant(t.api, platformAdmin, { placement, plan: 'professional' });
    tenantId = ours.tenant.id;
    adminId = ours.admin.id;
    memberId = ours.member.id;
    userOfOtherTenant = theirs.admin.id;
    token = (await loginAs(t.api, ours.admin.email, ours.admin.password)).accessToken;
    accountId = (await t.api.post('/api/accounts', { name: 'Related' }, { token })).body.id;
  });

  it.each(resources)(
    'refuses a user of another tenant as the owner of new $name like an unknown user, storing nothing',
    async ({ name, body }) => {
      const before = await idsOf(name);
      const foreign = await t.api.post(`/api/${name}`, { ...body(), ownerUserId: userOfOtherTenant }, { token });
      const unknown = await t.api.post(`/api/${name}`, { ...body(), ownerUserId: UNKNOWN_USER }, { token });
      expect(foreign.status).toBe(404);
      expect(foreign.body.details).toEqual(NOT_A_MEMBER);
      expect(unknown.status).toBe(404);
      expect(unknown.body.details).toEqual(foreign.body.details);
      expect(await idsOf(name)).toEqual(before);
    },
  );

  it.each(resources)('refuses a user of another tenant as the new owner of $name, leaving the record as it was', async ({ name, body }) => {
    const record = (await t.api.post(`/api/${name}`, { ...body(), ownerUserId: memberId }, { token })).body;
    const refused = await t.api.patch(`/api/${name}/${record.id}`, { ownerUserId: userOfOtherTenant }, { token });
    expect(refused.status).toBe(404);
    expect(refused.body.details).toEqual(NOT_A_MEMBER);
    expect((await t.api.get(`/api/${name}/${record.id}`, { token })).body.ownerUserId).toBe(memberId);
  });

  it.each(resources)('accepts members of the tenant as the owner of $name, on create and on change', async ({ name, body }) => {
    const created = await t.api.post(`/api/${name}`, { ...body(), ownerUserId: memberId }, { token });
    expect(created.status).toBe(201);
    expect(created.body.ownerUserId).toBe(memberId);
    const changed = await t.api.patch(`/api/${name}/${created.body.id}`, { ownerUserId: adminId }, { token });
    expect(changed.status).toBe(200);
    expect((await t.api.get(`/api/${name}/${created.body.id}`, { token })).body.ownerUserId).toBe(adminId);
  });

  it('refuses a member who has been removed from the tenant as an owner', async () => {
    const leaver = await createUser(t.api, platformAdmin);
    await addMember(t.api, platformAdmin, tenantId, leaver.email, 'member');
    expect((await t.api.post('/api/accounts', { name: 'Before leaving', ownerUserId: leaver.id }, { token })).status).toBe(201);
    expect((await t.api.delete(`/control/tenants/${tenantId}/members/${leaver.id}`, { token: platformAdmin })).status).toBe(204);
    for (const { name, body } of resources) {
      const refused = await t.api.post(`/api/${name}`, { ...body(), ownerUserId: leaver.id }, { token });
      expect({ name, status: refused.status, details: refused.body.details }).toEqual({ name, status: 404, details: NOT_A_MEMBER });
    }
  });

  it('names every field of an event whose user is outside the tenant, owner and staff alike', async () => {
    const [, , , , events] = resources;
    const refused = await t.api.post(
      '/api/events',
      {
        ...events.body(),
        ownerUserId: userOfOtherTenant,
        staff: [
          { userId: memberId, role: 'host' },
          { userId: userOfOtherTenant, role: 'guide' },
        ],
      },
      { token },
    );
    expect(refused.status).toBe(404);
    expect(refused.body.details.map((detail: { field: string }) => detail.field)).toEqual(['ownerUserId', 'staff[1].userId']);
  });
});
