import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** Activities over HTTP: attached to this tenant's records only; tasks with due dates and completion. */
describe('activities', () => {
  let t: TestApp;
  let platformAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platformAdmin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  const session = async () => (await tenantAdminSession(t.api, platformAdmin, { plan: 'professional' })).token;

  it('logs activities on a record, lists open tasks due soon, and completes a task once', async () => {
    const token = await session();
    const deal = (await t.api.post('/api/deals', { name: 'Renewal' }, { token })).body.id;
    const call = await t.api.post(
      '/api/activities',
      { type: 'call', subject: 'Intro call', relatedType: 'deal', relatedId: deal },
      { token },
    );
    expect(call.status).toBe(201);
    const task = (
      await t.api.post(
        '/api/activities',
        { type: 'task', subject: 'Send offer', relatedType: 'deal', relatedId: deal, dueAt: '2027-01-15T09:00:00Z' },
        { token },
      )
    ).body;

    const open = (
      await t.api.get(`/api/activities?relatedType=deal&relatedId=${deal}&type=task&completed=false&dueBefore=2027-02-01T00:00:00Z`, {
        token,
      })
    ).body.items;
    expect(open.map((item: { id: string }) => item.id)).toEqual([task.id]);
    const done = await t.api.post(`/api/activities/${task.id}/complete`, undefined, { token });
    expect(done.body.completedAt).toEqual(expect.any(String));
    expect((await t.api.post(`/api/activities/${task.id}/complete`, undefined, { token })).status).toBe(409);
    expect((await t.api.post(`/api/activities/${call.body.id}/complete`, undefined, { token })).status).toBe(409);
    expect((await t.api.get(`/api/activities?relatedId=${deal}`, { token })).body.items).toHaveLength(2);
    expect(
      (await t.api.get(`/api/audit?entity=activity&entityId=${task.id}`, { token })).body.items.map(
        (entry: { action: string }) => entry.action,
      ),
    ).toEqual(['update', 'create']);
  });

  it('deletes an activity softly and restores it; another tenant can do neither', async () => {
    const token = await session();
    const other = await session();
    const account = (await t.api.post('/api/accounts', { name: 'Acme' }, { token })).body.id;
    const note = (
      await t.api.post(
        '/api/activities',
        { type: 'note', subject: 'Met at the fair', relatedType: 'account', relatedId: account },
        { token },
      )
    ).body;
    expect((await t.api.delete(`/api/activities/${note.id}`, { token: other })).status).toBe(404);
    expect((await t.api.delete(`/api/activities/${note.id}`, { token })).status).toBe(204);
    expect((await t.api.get(`/api/activities?relatedId=${account}`, { token })).body.items).toEqual([]);
    expect((await t.api.post(`/api/activities/${note.id}/restore`, undefined, { token: other })).status).toBe(404);
    const restored = await t.api.post(`/api/activities/${note.id}/restore`, undefined, { token });
    expect(restored.body).toMatchObject({ id: note.id, subject: 'Met at the fair' });
    expect((await t.api.get(`/api/activities/${note.id}`, { token })).status).toBe(200);
    expect(
      (await t.api.get(`/api/audit?entity=activity&entityId=${note.id}`, { token })).body.items.map(
        (entry: { action: string }) => entry.action,
      ),
    ).toEqual(['update', 'delete', 'create']);
  });

  it('refuses an activity about another tenant’s record, and bad input naming the fields', async () => {
    const mine = await session();
    const theirs = await session();
    const foreign = (await t.api.post('/api/accounts', { name: 'Foreign' }, { token: theirs })).body.id;
    const refused = await t.api.post(
      '/api/activities',
      { type: 'note', subject: 'Snoop', relatedType: 'account', relatedId: foreign },
      { token: mine },
    );
    expect(refused.status).toBe(404);
    expect(refused.body.details).toEqual([{ field: 'relatedId', problems: ['unknown account'] }]);
    const bad = await t.api.post(
      '/api/activities',
      { type: 'fax', subject: '', relatedType: 'planet', relatedId: 'x', dueAt: 'tomorrow' },
      { token: mine },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'dueAt',
      'relatedId',
      'relatedType',
      'subject',
      'type',
    ]);
  });
});
