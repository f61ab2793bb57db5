import { randomUUID } from 'node:crypto';
import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Contacts over HTTP: links to accounts with a role, filters, and the plan's contact quota. */
describe.each(['pooled', 'dedicated'])('contacts (%s tenant)', (placement) => {
  let platformAdmin: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
  });

  const session = async (plan = 'professional') => (await tenantAdminSession(t.api, platformAdmin, { placement, plan })).token;

  it('links a contact to accounts with a role, finds it by account and by e-mail, and audits each change', async () => {
    const token = await session();
    const acme = (await t.api.post('/api/accounts', { name: 'Acme' }, { token })).body.id;
    const globex = (await t.api.post('/api/accounts', { name: 'Globex' }, { token })).body.id;
    const jane = (
      await t.api.post('/api/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'Jane@Acme.example', jobTitle: 'CFO' }, { token })
    ).body;
    expect(jane).toMatchObject({ email: 'jane@acme.example', accounts: [] });
    await t.api.post('/api/contacts', { firstName: 'John', lastName: 'Roe' }, { token });

    expect((await t.api.put(`/api/contacts/${jane.id}/accounts/${acme}`, { role: 'CFO' }, { token })).body.accounts).toEqual([
      { accountId: acme, role: 'CFO' },
    ]);
    await t.api.put(`/api/contacts/${jane.id}/accounts/${globex}`, { role: 'Advisor' }, { token });
    await t.api.put(`/api/contacts/${jane.id}/accounts/${globex}`, { role: 'Board member' }, { token });
    const linked = (await t.api.get(`/api/contacts/${jane.id}`, { token })).body.accounts;
    expect(linked).toEqual(
      expect.arrayContaining([
        { accountId: acme, role: 'CFO' },
        { accountId: globex, role: 'Board member' },
      ]),
    );

    const atGlobex = (await t.api.get(`/api/contacts?accountId=${globex}`, { token })).body.items;
    expect(atGlobex.map((contact: { id: string }) => contact.id)).toEqual([jane.id]);
    expect(atGlobex[0].accounts).toEqual([
      { accountId: acme, role: 'CFO' },
      { accountId: globex, role: 'Board member' },
    ]);
    expect((await t.api.get('/api/contacts?search=acme.example', { token })).body.items).toHaveLength(1);
    expect((await t.api.get('/api/contacts?search=ACME.EX', { token })).body.items).toHaveLength(1);
    expect((await t.api.get('/api/contacts?search=%25', { token })).body.items).toHaveLength(0);
    expect(
      (await t.api.get('/api/contacts?sort=-lastName', { token })).body.items.map((contact: { lastName: string }) => contact.lastName),
    ).toEqual(['Roe', 'Doe']);

    expect((await t.api.delete(`/api/contacts/${jane.id}/accounts/${globex}`, { token })).body.accounts).toEqual([
      { accountId: acme, role: 'CFO' },
    ]);
    expect((await t.api.delete(`/api/contacts/${jane.id}/accounts/${globex}`, { token })).status).toBe(404);
    const trail = (await t.api.get(`/api/audit?entity=contact&entityId=${jane.id}`, { token })).body.items;
    expect(trail).toHaveLength(5);
  });

  it('pages through every contact exactly once in each sort order while contacts are added, filtered by owner and search', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin, { placement, plan: 'professional' });
    // Owners must be users of the tenant: its admin owns every third contact.
    const owner = tenant.admin.id;
    const names = Array.from({ length: 12 }, (_, i) => `Person${String(i).padStart(2, '0')}`);
    for (const [i, lastName] of names.entries()) {
      await t.api.post(
        '/api/contacts',
        { firstName: 'Paged', lastName, email: `${lastName.toLowerCase()}@paged.example`, ownerUserId: i % 3 === 0 ? owner : undefined },
        { token },
      );
    }
    for (const sort of ['createdAt', '-createdAt', 'lastName', '-lastName']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ lastName: string }>; nextCursor: string | null } } = await t.api.get(
          `/api/contacts?limit=5&search=paged&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        seen.push(...page.body.items.map((contact) => contact.lastName));
        cursor = page.body.nextCursor;
        await t.api.post('/api/contacts', { firstName: 'Late', lastName: `Late${seen.length}-${sort}` }, { token });
      } while (cursor);
      expect(seen).toEqual(sort.startsWith('-') ? [...names].reverse() : names);
    }

    const owned = (await t.api.get(`/api/contacts?ownerUserId=${owner}&search=PAGED.EXAMPLE&sort=-lastName`, { token })).body.items;
    expect(owned.map((contact: { lastName: string }) => contact.lastName)).toEqual(['Person09', 'Person06', 'Person03', 'Person00']);
    expect(owned[0]).toEqual(
      expect.objectContaining({ firstName: 'Paged', email: 'person09@paged.example', ownerUserId: owner, customFields: {}, accounts: [] }),
    );
    expect(owned[0]).not.toHaveProperty('phone');
    expect(Date.parse(owned[0].createdAt)).not.toBeNaN();
  });

  it('answers 400 when a cursor is forged, naming the cursor where it can be read as one', async () => {
    const token = await session();
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const [sort, cursor] of [
      ['createdAt', forged(['not a date', randomUUID()])],
      ['createdAt', forged(['2026-01-01T00:00:00.000Z', "' OR 1=1 --"])],
      ['lastName', forged(['Doe'])],
      ['lastName', 'not-base64-json'],
      ['createdAt', forged(['99999-01-01T00:00:00.000Z', randomUUID()])],
    ]) {
      const refused = await t.api.get(`/api/contacts?sort=${sort}&cursor=${cursor}`, { token });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field: 'cursor', problems: ['cursor is invalid'] }]);
    }
    // A date JavaScript reads but PostgreSQL does not is still the client's mistake, not a 500.
    const unreadable = await t.api.get(`/api/contacts?cursor=${forged(['Jan 1 2026 (anything)', randomUUID()])}`, { token });
    expect(unreadable.status).toBe(400);
  });

  it('never links to another tenant’s account or contact, answering 404 as for missing ones', async () => {
    const mine = await session();
    const theirs = await session();
    const contact = (await t.api.post('/api/contacts', { firstName: 'Own', lastName: 'Contact' }, { token: mine })).body.id;
    const foreignAccount = (await t.api.post('/api/accounts', { name: 'Foreign' }, { token: theirs })).body.id;
    const refused = await t.api.put(`/api/contacts/${contact}/accounts/${foreignAccount}`, { role: 'spy' }, { token: mine });
    expect(refused.status).toBe(404);
    expect(refused.body.details).toEqual([{ field: 'accountId', problems: ['unknown account'] }]);
    expect((await t.api.get(`/api/contacts/${contact}`, { token: theirs })).status).toBe(404);
    expect((await t.api.patch(`/api/contacts/${contact}`, { lastName: 'Hijacked' }, { token: theirs })).status).toBe(404);
  });

  it('enforces the plan’s maxContacts with a 409 naming it, even for concurrent creations', async () => {
    const token = await session('starter');
    const original = (await t.api.get('/control/plans/starter', { token: platformAdmin })).body.maxContacts;
    try {
      await t.api.patch('/control/plans/starter', { maxContacts: 3 }, { token: platformAdmin });
      await t.api.post('/api/contacts', { firstName: 'One', lastName: 'First' }, { token });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => t.api.post('/api/contacts', { firstName: `Racer${i}`, lastName: 'Concurrent' }, { token })),
      );
      expect(results.filter((response) => response.status === 201)).toHaveLength(2);
      const refused = results.find((response) => response.status === 409)!;
      expect(refused.body.message).toMatch(/Quota maxContacts reached: the Starter plan allows 3 contacts/);
      expect((await t.api.get('/api/contacts?limit=100', { token })).body.items).toHaveLength(3);
    } finally {
      await t.api.patch('/control/plans/starter', { maxContacts: original }, { token: platformAdmin });
    }
  });

  it('validates contacts and their custom fields with 400 naming each field', async () => {
    const token = await session();
    await t.api.post('/api/custom-fields', { entity: 'contact', key: 'birthday', label: 'Birthday', type: 'date' }, { token });
    const bad = await t.api.post(
      '/api/contacts',
      { firstName: '', lastName: 'X', email: 'nope', phone: 'call me', customFields: { birthday: 'yesterday' } },
      { token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['email', 'firstName', 'phone']);
    const badCustom = await t.api.post(
      '/api/contacts',
      { firstName: 'Ann', lastName: 'X', customFields: { birthday: 'yesterday' } },
      { token },
    );
    expect(badCustom.body.details).toEqual([
      { field: 'customFields.birthday', problems: ['customFields.birthday must be a date (YYYY-MM-DD)'] },
    ]);
    expect(
      (await t.api.post('/api/contacts', { firstName: 'Ann', lastName: 'X', customFields: { birthday: '1990-02-28' } }, { token })).status,
    ).toBe(201);
  });
});
