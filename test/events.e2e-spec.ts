import { adminToken, inviteIntoTenant, loginAs, tenantAdminSession, unique } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

interface EventBody {
  id: string;
  name: string;
  status: string;
  dates: Array<{ startsAt: string; endsAt: string; timeZone: string }>;
  staff: Array<{ userId: string; role: string }>;
}

const day = (date: string, from: string, to: string, timeZone = 'UTC') => ({
  startsAt: `${date}T${from}Z`,
  endsAt: `${date}T${to}Z`,
  timeZone,
});

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Events over HTTP: several dates with time zones, staff who are users of the tenant, status rules, date-range lists. */
describe.each(['pooled', 'dedicated'])('events (%s tenant)', (placement) => {
  let platformAdmin: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
  });

  const session = (plan = 'professional') => tenantAdminSession(t.api, platformAdmin, { placement, plan });

  async function addUser(token: string, role = 'member') {
    const email = `${unique('staff')}@example.test`;
    const added = await inviteIntoTenant(t.api, token, email, role);
    return { id: added.userId, email };
  }

  const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);

  it('creates an event with several dates and staff, reads it, changes only the fields sent, auditing each step', async () => {
    const { tenant, token } = await session();
    const host = await addUser(token);
    await t.api.patch('/api/tenant/settings', { timezone: 'Europe/Lisbon' }, { token });
    const created = await t.api.post(
      '/api/events',
      {
        name: 'Spring fair',
        category: 'Trade fair',
        type: 'Exhibition',
        location: 'Messe Berlin, Hall 4',
        dates: [
          { startsAt: '2027-05-14T09:00:00+02:00', endsAt: '2027-05-14T18:00:00+02:00', timeZone: 'Europe/Berlin' },
          { startsAt: '2027-05-15T09:00:00+01:00', endsAt: '2027-05-15T17:30:00+01:00' },
        ],
        staff: [
          { userId: tenant.admin.id, role: 'lead' },
          { userId: host.id, role: 'host' },
        ],
      },
      { token },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Spring fair',
      category: 'Trade fair',
      type: 'Exhibition',
      status: 'planned',
      dates: [
        { startsAt: '2027-05-14T07:00:00.000Z', endsAt: '2027-05-14T16:00:00.000Z', timeZone: 'Europe/Berlin' },
        { startsAt: '2027-05-15T08:00:00.000Z', endsAt: '2027-05-15T16:30:00.000Z', timeZone: 'Europe/Lisbon' },
      ],
      staff: [
        { userId: tenant.admin.id, role: 'lead' },
        { userId: host.id, role: 'host' },
      ],
    });
    const id = created.body.id;
    expect((await t.api.get(`/api/events/${id}`, { token })).body).toEqual(created.body);

    const changed = await t.api.patch(`/api/events/${id}`, { location: 'Messe Berlin, Hall 5', status: 'confirmed' }, { token });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Spring fair',
      location: 'Messe Berlin, Hall 5',
      status: 'confirmed',
      dates: created.body.dates,
      staff: created.body.staff,
    });
    const restaffed = await t.api.patch(`/api/events/${id}`, { staff: [{ userId: host.id, role: 'lead' }], category: null }, { token });
    expect(restaffed.body).toMatchObject({ category: null, staff: [{ userId: host.id, role: 'lead' }], dates: created.body.dates });
    expect((await t.api.patch(`/api/events/${id}`, { location: 'Messe Berlin, Hall 5' }, { token })).status).toBe(200);

    const trail = (await t.api.get(`/api/audit?entity=event&entityId=${id}`, { token })).body.items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['update', 'update', 'create']);
    expect(trail[1].changes).toEqual({
      location: { from: 'Messe Berlin, Hall 4', to: 'Messe Berlin, Hall 5' },
      status: { from: 'planned', to: 'confirmed' },
    });
    expect(trail[0].changes.staff.to).toEqual([{ userId: host.id, role: 'lead' }]);
  });

  it('lists events with a date overlapping [from, to), and by staff, status, category, type and search', async () => {
    const { token } = await session();
    const host = await addUser(token);
    const create = async (body: object) => (await t.api.post('/api/events', body, { token })).body as EventBody;
    const before = await create({ name: 'Before', dates: [day('2027-04-01', '10:00:00', '12:00:00')] });
    const endsAtFrom = await create({
      name: 'Ends as the range starts',
      dates: [{ startsAt: '2027-04-30T10:00:00Z', endsAt: '2027-05-01T00:00:00Z', timeZone: 'UTC' }],
    });
    const spanning = await create({
      name: 'Spanning 100% fair',
      category: 'Fair',
      dates: [{ startsAt: '2027-04-30T20:00:00Z', endsAt: '2027-05-02T08:00:00Z', timeZone: 'America/New_York' }],
      staff: [{ userId: host.id, role: 'host' }],
    });
    const inside = await create({
      name: 'Workshop',
      category: 'Workshop',
      type: 'Training',
      dates: [day('2027-03-01', '09:00:00', '11:00:00'), day('2027-05-10', '09:00:00', '11:00:00')],
    });
    const startsAtTo = await create({ name: 'After', dates: [day('2027-06-01', '00:00:00', '02:00:00')] });

    const may = await t.api.get('/api/events?from=2027-05-01T00:00:00Z&to=2027-06-01T00:00:00Z', { token });
    expect(may.status).toBe(200);
    expect(ids(may)).toEqual([spanning.id, inside.id]);
    expect(may.body.items[0]).toMatchObject({ dates: spanning.dates, staff: [{ userId: host.id, role: 'host' }] });
    expect(may.body.items[1].dates).toEqual(inside.dates);
    expect(ids(await t.api.get('/api/events?from=2027-05-01T02:00:00%2B02:00', { token }))).toEqual([
      spanning.id,
      inside.id,
      startsAtTo.id,
    ]);
    expect(ids(await t.api.get('/api/events?to=2027-04-30T10:00:01Z', { token }))).toEqual([before.id, endsAtFrom.id, inside.id]);

    expect(ids(await t.api.get(`/api/events?staffUserId=${host.id}`, { token }))).toEqual([spanning.id]);
    await t.api.patch(`/api/events/${inside.id}`, { status: 'confirmed' }, { token });
    expect(ids(await t.api.get('/api/events?status=confirmed', { token }))).toEqual([inside.id]);
    expect(ids(await t.api.get('/api/events?category=Workshop&type=Training', { token }))).toEqual([inside.id]);
    expect(ids(await t.api.get('/api/events?search=SPANNING', { token }))).toEqual([spanning.id]);
    expect(ids(await t.api.get('/api/events?search=100%25', { token }))).toEqual([spanning.id]);
    expect(ids(await t.api.get('/api/events?search=%25%25', { token }))).toEqual([]);
    const byName = await t.api.get('/api/events?sort=-name', { token });
    expect(byName.body.items.map((item: EventBody) => item.name)).toEqual([
      'Workshop',
      'Spanning 100% fair',
      'Ends as the range starts',
      'Before',
      'After',
    ]);
  });

  it('refuses a status change the current status does not allow with 409 naming the allowed ones', async () => {
    const { token } = await session();
    const event = (await t.api.post('/api/events', { name: 'Gala', dates: [day('2027-09-01', '18:00:00', '23:00:00')] }, { token })).body;
    const skipped = await t.api.patch(`/api/events/${event.id}`, { status: 'completed', name: 'Gala night' }, { token });
    expect(skipped.status).toBe(409);
    expect(skipped.body.message).toBe('An event cannot go from planned to completed: it can go to confirmed, cancelled');
    expect(skipped.body.details).toEqual([{ field: 'status', problems: ['allowed from planned: confirmed, cancelled'] }]);
    expect((await t.api.patch(`/api/events/${event.id}`, { status: 'cancelled' }, { token })).body.status).toBe('cancelled');
    const reopened = await t.api.patch(`/api/events/${event.id}`, { status: 'planned' }, { token });
    expect(reopened.status).toBe(409);
    expect(reopened.body.message).toMatch(/cancelled is final/);
    expect((await t.api.get(`/api/events/${event.id}`, { token })).body).toMatchObject({ name: 'Gala', status: 'cancelled' });
  });

  it('deletes softly and restores an event with its dates and staff; another tenant’s event answers 404', async () => {
    const { tenant, token } = await session();
    const theirs = await session();
    const event = (
      await t.api.post(
        '/api/events',
        { name: 'Private launch', dates: [day('2027-10-01', '10:00:00', '12:00:00')], staff: [{ userId: tenant.admin.id, role: 'host' }] },
        { token },
      )
    ).body;
    for (const response of [
      await t.api.get(`/api/events/${event.id}`, { token: theirs.token }),
      await t.api.patch(`/api/events/${event.id}`, { name: 'Hijacked' }, { token: theirs.token }),
      await t.api.delete(`/api/events/${event.id}`, { token: theirs.token }),
    ]) {
      expect(response.status).toBe(404);
    }
    expect((await t.api.delete(`/api/events/${event.id}`, { token })).status).toBe(204);
    expect((await t.api.get(`/api/events/${event.id}`, { token })).status).toBe(404);
    expect((await t.api.get('/api/events', { token })).body.items).toEqual([]);
    expect((await t.api.post(`/api/events/${event.id}/restore`, undefined, { token: theirs.token })).status).toBe(404);
    const restored = await t.api.post(`/api/events/${event.id}/restore`, undefined, { token });
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ ...event, updatedAt: expect.any(String) });
    expect((await t.api.post(`/api/events/${event.id}/restore`, undefined, { token })).status).toBe(404);
    expect(ids(await t.api.get('/api/events', { token }))).toEqual([event.id]);
    const trail = (await t.api.get(`/api/audit?entity=event&entityId=${event.id}`, { token })).body.items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['update', 'delete', 'create']);
    expect((await t.api.get(`/api/events/${event.id}`, { token: theirs.token })).status).toBe(404);
  });

  it('refuses invalid input with 400 naming the field, and staff outside the tenant with 404, storing nothing', async () => {
    const { token } = await session();
    const theirs = await session();
    const valid = { name: 'Fair', dates: [day('2027-05-14', '09:00:00', '17:00:00')] };
    const fieldsOf = async (body: object, status = 400) => {
      const response = await t.api.post('/api/events', body, { token });
      expect(response.status).toBe(status);
      return response.body.details.map((detail: { field: string }) => detail.field).sort();
    };
    expect(await fieldsOf({ ...valid, dates: [{ startsAt: '2027-05-14T17:00:00Z', endsAt: '2027-05-14T09:00:00Z' }] })).toEqual([
      'dates[0].endsAt',
    ]);
    expect(await fieldsOf({ ...valid, dates: [{ ...valid.dates[0], timeZone: 'Mars/Olympus_Mons' }] })).toEqual(['dates[0].timeZone']);
    expect(await fieldsOf({ ...valid, dates: Array.from({ length: 51 }, () => valid.dates[0]) })).toEqual(['dates']);
    expect(await fieldsOf({ ...valid, dates: [] })).toEqual(['dates']);
    expect(await fieldsOf({ ...valid, dates: [{ startsAt: '2027-05-14T09:00:00', endsAt: '2027-05-14T17:00:00Z' }] })).toEqual([
      'dates[0].startsAt',
    ]);
    expect(await fieldsOf({ ...valid, colour: 'red' })).toEqual(['colour']);
    expect(await fieldsOf({ ...valid, status: 'postponed', category: 'x'.repeat(101) })).toEqual(['category', 'status']);
    expect(await fieldsOf({ ...valid, staff: [{ userId: theirs.tenant.admin.id, role: 'host' }] }, 404)).toEqual(['staff[0].userId']);
    expect((await t.api.post('/api/events', { ...valid, dates: Array.from({ length: 50 }, () => valid.dates[0]) }, { token })).status).toBe(
      201,
    );

    const event = (await t.api.get('/api/events', { token })).body.items[0];
    expect((await t.api.patch(`/api/events/${event.id}`, { name: null }, { token })).body.details).toEqual([
      expect.objectContaining({ field: 'name' }),
    ]);
    const badDates = await t.api.patch(
      `/api/events/${event.id}`,
      { dates: [{ startsAt: '2027-05-14T09:00:00Z', endsAt: '2027-05-14T09:00:00Z' }] },
      { token },
    );
    expect(badDates.body.details).toEqual([{ field: 'dates[0].endsAt', problems: ['dates[0].endsAt must be after startsAt'] }]);
    expect((await t.api.get('/api/events?from=2027-06-01T00:00:00Z&to=2027-05-01T00:00:00Z', { token })).body.details).toEqual([
      { field: 'to', problems: ['to must be after from'] },
    ]);
    expect((await t.api.get('/api/events?sort=location', { token })).status).toBe(400);
    expect((await t.api.get('/api/events?limit=101', { token })).status).toBe(400);

    expect((await t.api.get('/api/events', { token })).body.items).toHaveLength(1);
    expect((await t.api.get(`/api/events/${event.id}`, { token })).body.dates).toHaveLength(50);
    expect((await t.api.get('/api/audit?entity=event', { token })).body.items).toHaveLength(1);
  });

  it('returns every event exactly once across pages while events are added', async () => {
    const { token } = await session();
    const names: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      const name = `Event ${String(i).padStart(2, '0')}`;
      names.push(name);
      await t.api.post('/api/events', { name, dates: [day('2027-07-01', '10:00:00', '11:00:00')] }, { token });
    }
    for (const sort of ['name', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: EventBody[]; nextCursor: string | null } } = await t.api.get(
          `/api/events?limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        seen.push(...page.body.items.map((event) => event.name));
        cursor = page.body.nextCursor;
        await t.api.post(
          '/api/events',
          { name: `Late ${sort} ${seen.length}`, dates: [day('2027-07-01', '10:00:00', '11:00:00')] },
          { token },
        );
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      const listed = seen.filter((name) => name.startsWith('Event'));
      // Events created within one millisecond are ordered by id, so only the name order is exact.
      expect(sort === 'name' ? listed : [...listed].sort()).toEqual(names);
    }
  });

  it('answers 403 naming the module on a plan without events, and naming the permission for a role without events.write', async () => {
    const starter = await session('starter');
    const refused = await t.api.get('/api/events', { token: starter.token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(`The events module is not enabled for tenant "${starter.tenant.slug}"`);

    const { tenant, token } = await session();
    expect((await t.api.post('/api/roles', { name: 'event_viewer', permissions: ['events.read'] }, { token })).status).toBe(201);
    const viewer = await addUser(token, 'event_viewer');
    const viewerToken = (await loginAs(t.api, viewer.email, 'a-long-enough-password', tenant.slug)).accessToken;
    expect((await t.api.get('/api/events', { token: viewerToken })).status).toBe(200);
    const write = await t.api.post(
      '/api/events',
      { name: 'Nope', dates: [day('2027-05-14', '09:00:00', '17:00:00')] },
      { token: viewerToken },
    );
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/events\.write/);
    expect((await t.api.get('/api/events', { token })).body.items).toEqual([]);
  });
});
