import { Client } from 'pg';
import { JobQueue } from '../libs/queue/job-queue';
import { AccessChanges } from '../src/control-plane/access-changes';
import { DataRetention } from '../src/crm/data-retention/data-retention';
import { DATA_RETENTION_QUEUE } from '../src/crm/data-retention/data-retention-queue';
import { RetryLaterException } from '../src/platform/errors/retry-later.exception';
import { adminToken, inviteIntoTenant, loginAs, tenantAdminSession, unique } from './support/factories';
import { connectToDatabaseOf } from './support/tenant-database-session';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Requests from data subjects (find, export, erase by e-mail) and the retention purge, over the
 * real API; what is left is read straight from the tenant's own database.
 */
describe('data subject requests and retention', () => {
  let t: TestApp;
  let admin: string;
  let plan: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
    plan = unique('privacy').toLowerCase().replace(/-/g, '');
    const created = await t.api.post(
      '/control/plans',
      { name: plan, displayName: 'Privacy', modules: ['notes', 'accounts', 'contacts', 'deals', 'activities'], retentionDays: 30 },
      { token: admin },
    );
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Rows of every table of the tenant's database with `text` in any text, character, array or JSON column (generated ones too). */
  async function tracesOf(database: Client, text: string): Promise<string[]> {
    const { rows: columns } = await database.query<{ table: string; column: string }>(`
      SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY')`);
    const traces: string[] = [];
    for (const { table, column } of columns) {
      const { rows } = await database.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`, [`%${text}%`]);
      if (rows[0].n > 0) traces.push(`${table}.${column}`);
    }
    return traces;
  }

  it('finds, exports and erases a person by e-mail, leaving no trace of the address and an audit entry that says only that it was erased', async () => {
    const session = await tenantAdminSession(t.api, admin, { plan, placement: 'dedicated' });
    const token = session.token;
    const email = `${unique('jane')}@subject.example`;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    const account = (await t.api.post('/api/accounts', { name: 'Acme' }, { token })).body.id;
    const jane = (await t.api.post('/api/contacts', { firstName: 'Jane', lastName: 'Subject', email, phone: '+49 30 1234567' }, { token }))
      .body;
    expect((await t.api.patch(`/api/contacts/${jane.id}`, { jobTitle: 'CFO' }, { token })).status).toBe(200);
    expect((await t.api.put(`/api/contacts/${jane.id}/accounts/${account}`, { role: 'Buyer' }, { token })).status).toBe(200);
    const older = (await t.api.post('/api/contacts', { firstName: 'J.', lastName: 'Subject', email: email.toUpperCase() }, { token })).body;
    expect((await t.api.delete(`/api/contacts/${older.id}`, { token })).status).toBe(204);
    const other = (
      await t.api.post('/api/contacts', { firstName: 'Otto', lastName: 'Other', email: `${unique('otto')}@subject.example` }, { token })
    ).body;
    await t.api.post(
      '/api/deals',
      {
        name: 'Renewal',
        accountId: account,
        contactId: jane.id,
        lineItems: [{ description: 'Licence', quantity: 1, unitPriceMinor: 100 }],
      },
      { token },
    );
    await t.api.post(
      '/api/activities',
      { type: 'email', subject: `Mail to ${email}`, body: 'Hello Jane', relatedType: 'contact', relatedId: jane.id },
      { token },
    );
    const note = (await t.api.post('/api/notes', { title: 'Call back', body: `Reach her at ${email.toUpperCase()} after 5pm` }, { token }))
      .body;

    const found = await t.api.post('/api/tenant/subject-requests', { email, action: 'find' }, { token });
    expect(found.status).toBe(200);
    expect(found.body.contactIds.sort()).toEqual([jane.id, older.id].sort());
    expect(found.body.related).toMatchObject({ deals: 1, activities: 1, contact_accounts: 1 });
    expect(found.body.mentions).toMatchObject({ contacts: 2, notes: 1, activities: 1 });
    expect(found.body.mentions.data_audit).toBeGreaterThanOrEqual(3);
    expect(found.body.data).toBeUndefined();

    const exported = await t.api.post('/api/tenant/subject-requests', { email, action: 'export' }, { token });
    expect(exported.status).toBe(200);
    expect(exported.body.data.contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: jane.id, email: email.toLowerCase(), phone: '+49 30 1234567', job_title: 'CFO' }),
      ]),
    );
    expect(exported.body.data.deals).toEqual([expect.objectContaining({ contact_id: jane.id })]);
    expect(exported.body.data['notes:mentions']).toEqual([expect.objectContaining({ id: note.id })]);

    const erased = await t.api.post('/api/tenant/subject-requests', { email, action: 'erase' }, { token });
    expect(erased.status).toBe(200);
    expect(erased.body.contactIds.sort()).toEqual([jane.id, older.id].sort());

    const database = await connectToDatabaseOf(t, session.tenant.id);
    try {
      expect(await tracesOf(database, email.split('@')[0])).toEqual([]);
      expect(await tracesOf(database, '+49 30 1234567')).toEqual([]);
      expect(await tracesOf(database, 'Hello Jane')).toEqual([]);
    } finally {
      await database.end();
    }
    const anonymous = (await t.api.get(`/api/contacts/${jane.id}`, { token })).body;
    expect(anonymous).toMatchObject({ firstName: 'Erased', lastName: 'Contact' });
    expect([anonymous.email ?? null, anonymous.phone ?? null, anonymous.jobTitle ?? null]).toEqual([null, null, null]);
    expect((await t.api.get(`/api/contacts/${other.id}`, { token })).body.email).toBe(other.email);
    expect((await t.api.get(`/api/notes/${note.id}`, { token })).body.body).toBe('Reach her at [erased] after 5pm');
    const trail = (await t.api.get(`/api/audit?entity=contact&entityId=${jane.id}`, { token })).body.items;
    expect(trail[0]).toMatchObject({ action: 'update', changes: { erased: true } });
    expect(JSON.stringify(trail)).not.toContain('Subject');
    expect((await t.api.post('/api/tenant/subject-requests', { email, action: 'find' }, { token })).body).toMatchObject({
      contactIds: [],
      mentions: {},
    });
  });

  it('erases a person in one pooled tenant only: the same address in its pool neighbour stays', async () => {
    const [one, two] = [await tenantAdminSession(t.api, admin, { plan }), await tenantAdminSession(t.api, admin, { plan })];
    const email = `${unique('shared')}@subject.example`;
    for (const { token } of [one, two]) {
      expect((await t.api.post('/api/contacts', { firstName: 'Sam', lastName: 'Shared', email }, { token })).status).toBe(201);
      expect((await t.api.post('/api/notes', { title: 'Contact', body: `write to ${email}` }, { token })).status).toBe(201);
    }
    expect((await t.api.post('/api/tenant/subject-requests', { email, action: 'erase' }, { token: one.token })).status).toBe(200);
    const untouched = await t.api.post('/api/tenant/subject-requests', { email, action: 'find' }, { token: two.token });
    expect(untouched.body).toMatchObject({ contactIds: [expect.any(String)], mentions: { contacts: 1, notes: 1 } });
    const erased = await t.api.post('/api/tenant/subject-requests', { email, action: 'find' }, { token: one.token });
    expect(erased.body).toMatchObject({ contactIds: [], mentions: {} });
  });

  it('refuses data subject requests to members without privacy.manage, and bad input with the field at fault', async () => {
    const session = await tenantAdminSession(t.api, admin, { plan });
    const member = `${unique('member')}@example.test`;
    await inviteIntoTenant(t.api, session.token, member, 'member', 'password-for-tests-123');
    const memberToken = (await loginAs(t.api, member, 'password-for-tests-123', session.tenant.slug)).accessToken;
    expect(
      (await t.api.post('/api/tenant/subject-requests', { email: 'a@b.example', action: 'find' }, { token: memberToken })).status,
    ).toBe(403);
    const bad = await t.api.post(
      '/api/tenant/subject-requests',
      { email: 'not-an-address', action: 'shred', extra: 1 },
      { token: session.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['action', 'email', 'extra']);
  });

  it('purges data audit entries and soft-deleted records older than the plan’s retention, keeping deleted records still referred to', async () => {
    const session = await tenantAdminSession(t.api, admin, { plan, placement: 'dedicated' });
    const token = session.token;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    const contact = async (lastName: string) =>
      (await t.api.post('/api/contacts', { firstName: 'Old', lastName }, { token })).body.id as string;
    const [expired, referred, recent, live] = [
      await contact('Expired'),
      await contact('Referred'),
      await contact('Recent'),
      await contact('Live'),
    ];
    await t.api.post(
      '/api/deals',
      { name: 'Keeps its contact', contactId: referred, lineItems: [{ description: 'Licence', quantity: 1, unitPriceMinor: 100 }] },
      { token },
    );
    for (const id of [expired, referred, recent]) expect((await t.api.delete(`/api/contacts/${id}`, { token })).status).toBe(204);

    const database = await connectToDatabaseOf(t, session.tenant.id);
    try {
      await database.query(`UPDATE contacts SET deleted_at = now() - interval '40 days' WHERE id = ANY($1::uuid[])`, [[expired, referred]]);
      await database.query(`UPDATE data_audit SET occurred_at = now() - interval '40 days' WHERE entity_id = $1`, [live]);
      await t.app.get(JobQueue).sendWithin((text, values) => t.sql(text, values), DATA_RETENTION_QUEUE, {});
      const purges = () =>
        t.sql("SELECT changes FROM audit_log WHERE action = 'tenant.retention.purge' AND tenant_id = $1", [session.tenant.id]);
      const deadline = Date.now() + 20_000;
      while ((await purges()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const remaining = async () => (await database.query<{ id: string }>('SELECT id FROM contacts')).rows.map((row) => row.id);
      expect((await remaining()).sort()).toEqual([referred, recent, live].sort());
      const audit = await database.query<{ entity_id: string }>('SELECT DISTINCT entity_id FROM data_audit WHERE entity = $1', ['contact']);
      expect(audit.rows.map((row) => row.entity_id).sort()).toEqual([expired, referred, recent].sort());
      const [purge] = await purges();
      expect(purge.changes).toEqual({ retentionDays: 30, purged: { contacts: 1, data_audit: expect.any(Number) } });
    } finally {
      await database.end();
    }
  });

  it('leaves a tenant whose writes a move or restore has frozen to the next purge, and purges it once they are lifted', async () => {
    const session = await tenantAdminSession(t.api, admin, { plan, placement: 'dedicated' });
    const created = await t.api.post('/api/contacts', { firstName: 'Frozen', lastName: 'Expired' }, { token: session.token });
    expect((await t.api.delete(`/api/contacts/${created.body.id}`, { token: session.token })).status).toBe(204);
    const database = await connectToDatabaseOf(t, session.tenant.id);
    const setWritesFrozen = async (frozen: boolean) => {
      await t.sql(`UPDATE tenants SET writes_frozen_at = ${frozen ? 'now()' : 'NULL'} WHERE id = $1`, [session.tenant.id]);
      t.app.get(AccessChanges).tenantChanged(session.tenant.id);
    };
    try {
      await database.query(`UPDATE contacts SET deleted_at = now() - interval '40 days' WHERE id = $1`, [created.body.id]);
      const stillThere = async () => (await database.query('SELECT 1 FROM contacts WHERE id = $1', [created.body.id])).rowCount;

      await setWritesFrozen(true);
      await expect(t.app.get(DataRetention).purge(session.tenant.id, 30)).rejects.toBeInstanceOf(RetryLaterException);
      expect(await stillThere()).toBe(1);

      await setWritesFrozen(false);
      expect(await t.app.get(DataRetention).purge(session.tenant.id, 30)).toMatchObject({ contacts: 1 });
      expect(await stillThere()).toBe(0);
    } finally {
      await database.end();
    }
  });
});
