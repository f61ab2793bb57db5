import { ChildProcess } from 'node:child_process';
import { JobQueue } from '../libs/queue/job-queue';
import { killHard, listeningUrl, startAppProcess } from './support/app-process';
import { adminToken, createTenant, loginAs, tenantAdminSession, tenantWithUsers } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

interface UsageDay {
  day: string;
  apiCalls: number;
  writes: number;
  activeUsers: number;
  rowsByEntity: Record<string, number> | null;
  rows: number | null;
  storageBytes: number | null;
  storageNote: string | null;
  measuredAt: string | null;
}

const MEASURES = ['apiCalls', 'writes', 'activeUsers', 'storageBytes', 'rows'] as const;
const today = () => new Date().toISOString().slice(0, 10);

/** Usage per tenant per UTC day: counted off the request path, flushed, measured by a job, and sorted across the fleet. */
describe('usage metering', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { USAGE_FLUSH_INTERVAL_MS: '100' } });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function usageToday(tenantId: string): Promise<UsageDay | undefined> {
    const response = await t.api.get<UsageDay[]>(`/control/tenants/${tenantId}/usage`, { token: admin });
    expect(response.status).toBe(200);
    return response.body.find((day) => day.day === today());
  }

  /** Reads today's usage until `done` holds (flushes and jobs run in the background), failing after a while. */
  async function eventually(tenantId: string, done: (day: UsageDay) => boolean): Promise<UsageDay> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const day = await usageToday(tenantId);
      if (day && done(day)) return day;
      if (Date.now() > deadline) throw new Error(`usage never got there: ${JSON.stringify(day)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function measured(tenantId: string): Promise<UsageDay> {
    const before = (await usageToday(tenantId))?.measuredAt ?? null;
    const queued = await t.api.post<{ jobId: string }>(`/control/tenants/${tenantId}/usage/measure`, undefined, { token: admin });
    expect(queued.status).toBe(202);
    expect(queued.body.jobId).toEqual(expect.any(String));
    return eventually(tenantId, (day) => day.measuredAt !== null && day.measuredAt !== before);
  }

  it('counts API calls, successful writes and distinct active users of a tenant for the day', async () => {
    const { tenant, admin: owner, member } = await tenantWithUsers(t.api, admin);
    const ownerToken = (await loginAs(t.api, owner.email, owner.password, tenant.slug)).accessToken;
    const memberToken = (await loginAs(t.api, member.email, member.password, tenant.slug)).accessToken;

    for (let i = 0; i < 3; i += 1) expect((await t.api.get('/api/tenant', { token: ownerToken })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await t.api.get('/api/tenant', { token: memberToken })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await t.api.post('/api/notes', { title: `note ${i}` }, { token: ownerToken })).status).toBe(201);
    // A refused change is a call, not a write.
    expect((await t.api.post('/api/notes', { title: '' }, { token: ownerToken })).status).toBe(400);

    const day = await eventually(tenant.id, (usage) => usage.apiCalls >= 8);
    expect(day).toMatchObject({ apiCalls: 8, writes: 2, activeUsers: 2, measuredAt: null, rows: null, storageBytes: null });
    expect((await t.sql(`SELECT count(*)::int AS n FROM tenant_usage_users WHERE tenant_id = $1`, [tenant.id]))[0].n).toBe(2);
  });

  it('measures rows per table and storage: a pooled tenant its own rows only, a dedicated one its database, a byod one nothing of its system', async () => {
    const pooled = await tenantAdminSession(t.api, admin);
    const neighbour = await tenantAdminSession(t.api, admin);
    const dedicated = await tenantAdminSession(t.api, admin, { placement: 'dedicated' });
    for (let i = 0; i < 3; i += 1) await t.api.post('/api/notes', { title: `pooled ${i}`, body: 'x'.repeat(200) }, { token: pooled.token });
    await t.api.post('/api/notes', { title: 'neighbour' }, { token: neighbour.token });
    for (let i = 0; i < 2; i += 1) await t.api.post('/api/notes', { title: `dedicated ${i}` }, { token: dedicated.token });
    await t.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token: dedicated.token });

    const ofPooled = await measured(pooled.tenant.id);
    expect(ofPooled.rowsByEntity).toMatchObject({ notes: 3, contacts: 0 });
    expect(ofPooled.rows).toBe(Object.values(ofPooled.rowsByEntity!).reduce((sum, rows) => sum + rows, 0));
    // Three notes of a couple of hundred bytes each, plus the rows provisioning wrote: bytes, not the pooled database's megabytes.
    expect(ofPooled.storageBytes).toBeGreaterThan(3 * 200);
    expect(ofPooled.storageBytes).toBeLessThan(200_000);
    expect(ofPooled.storageNote).toMatch(/indexes, dead tuples/);
    expect((await measured(neighbour.tenant.id)).rowsByEntity).toMatchObject({ notes: 1 });

    const ofDedicated = await measured(dedicated.tenant.id);
    expect(ofDedicated.rowsByEntity).toMatchObject({ notes: 2, contacts: 1 });
    expect(ofDedicated.storageBytes).toBeGreaterThan(1_000_000);
    expect(ofDedicated.storageBytes).toBeLessThan(1_000_000_000);
    expect(ofDedicated.storageNote).toMatch(/pg_database_size/);

    const byod = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const ofByod = await measured(byod.id);
    expect(ofByod).toMatchObject({ rowsByEntity: {}, rows: 0, storageBytes: 0 });
    expect(ofByod.storageNote).toMatch(/its own system/);
  });

  it('measures again on demand, replacing the day’s measurement and keeping its counts', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin);
    await t.api.post('/api/notes', { title: 'first' }, { token });
    expect((await measured(tenant.id)).rowsByEntity).toMatchObject({ notes: 1 });
    await t.api.post('/api/notes', { title: 'second' }, { token });
    const again = await measured(tenant.id);
    expect(again.rowsByEntity).toMatchObject({ notes: 2 });
    expect(again).toMatchObject({ apiCalls: 2, writes: 2 });
    const audited = await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tenant_usage.measure' AND target_id = $1`, [
      tenant.id,
    ]);
    expect(audited[0].n).toBe(2);
  });

  it('measures every active tenant when the daily scheduled job runs', async () => {
    const scheduled = await t.sql(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'tenant-usage-daily'`);
    expect(scheduled).toEqual([{ cron: '30 0 * * *', timezone: 'UTC' }]);
    const pooled = await tenantAdminSession(t.api, admin);
    const dedicated = await tenantAdminSession(t.api, admin, { placement: 'dedicated' });
    await t.api.post('/api/notes', { title: 'daily' }, { token: pooled.token });

    // The job the schedule sends, sent now through the same queue.
    await t.app.get(JobQueue).sendWithin((text, values) => t.sql(text, values), 'tenant-usage-daily', {});
    const ofPooled = await eventually(pooled.tenant.id, (day) => day.measuredAt !== null);
    expect(ofPooled.rowsByEntity).toMatchObject({ notes: 1 });
    expect((await eventually(dedicated.tenant.id, (day) => day.measuredAt !== null)).storageBytes).toBeGreaterThan(0);
  });

  it('sorts the fleet view of a day by every measure, both ways, a page at a time', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin);
    for (let i = 0; i < 4; i += 1) await t.api.post('/api/notes', { title: `busy ${i}` }, { token });
    await eventually(tenant.id, (day) => day.writes >= 4);

    for (const sort of MEASURES) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: Array<UsageDay & { tenantId: string; slug: string }> = [];
        let cursor: string | null = null;
        do {
          const query: string = `sort=${sort}&order=${order}&limit=2&day=${today()}${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await t.api.get<{ items: typeof seen; nextCursor: string | null }>(`/control/usage?${query}`, { token: admin });
          expect(page.status).toBe(200);
          seen.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        const values = seen.map((item) => item[sort] ?? 0);
        const sorted = [...values].sort((a, b) => (order === 'asc' ? a - b : b - a));
        expect({ sort, order, values }).toEqual({ sort, order, values: sorted });
        expect(new Set(seen.map((item) => item.tenantId)).size).toBe(seen.length);
        expect(seen.map((item) => item.tenantId)).toContain(tenant.id);
      }
    }
    const busiest = await t.api.get(`/control/usage?sort=writes&order=desc&limit=1`, { token: admin });
    expect(busiest.body.items[0].writes).toBeGreaterThanOrEqual(4);
    expect(busiest.body.items[0]).toMatchObject({ slug: expect.any(String), placement: expect.any(String), day: today() });
  });

  it('refuses bad input naming the field, and unknown tenants with 404', async () => {
    const { tenant } = await tenantAdminSession(t.api, admin);
    const unknownSort = await t.api.get('/control/usage?sort=bogus', { token: admin });
    expect(unknownSort.status).toBe(400);
    expect(unknownSort.body.details[0].field).toBe('sort');
    const badCursor = await t.api.get('/control/usage?cursor=bm90LWEtY3Vyc29y', { token: admin });
    expect(badCursor.status).toBe(400);
    expect(JSON.stringify(badCursor.body)).toContain('cursor');
    const backwards = await t.api.get(`/control/tenants/${tenant.id}/usage?from=2026-02-02&to=2026-02-01`, { token: admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.details[0].field).toBe('from');
    const notADay = await t.api.get(`/control/tenants/${tenant.id}/usage?to=2026-02-30`, { token: admin });
    expect(notADay.status).toBe(400);
    expect(notADay.body.details[0].field).toBe('to');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await t.api.get(`/control/tenants/${unknown}/usage`, { token: admin })).status).toBe(404);
    expect((await t.api.post(`/control/tenants/${unknown}/usage/measure`, undefined, { token: admin })).status).toBe(404);
  });

  it('shows a tenant its own usage to its admins only, and the control routes to platform admins only', async () => {
    const { tenant, admin: owner, member } = await tenantWithUsers(t.api, admin);
    const ownerToken = (await loginAs(t.api, owner.email, owner.password, tenant.slug)).accessToken;
    const memberToken = (await loginAs(t.api, member.email, member.password, tenant.slug)).accessToken;
    await t.api.get('/api/tenant', { token: memberToken });
    await eventually(tenant.id, (day) => day.apiCalls >= 1);

    const own = await t.api.get<UsageDay[]>('/api/tenant/usage', { token: ownerToken });
    expect(own.status).toBe(200);
    expect(own.body.find((day) => day.day === today())?.apiCalls).toBeGreaterThanOrEqual(1);
    const refused = await t.api.get('/api/tenant/usage', { token: memberToken });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/tenant\.manage/);
    expect((await t.api.get(`/control/tenants/${tenant.id}/usage`, { token: ownerToken })).status).toBe(403);
    expect((await t.api.get('/control/usage', { token: ownerToken })).status).toBe(403);
    expect((await t.api.post(`/control/tenants/${tenant.id}/usage/measure`, undefined, { token: ownerToken })).status).toBe(403);
    expect((await t.api.get('/control/usage')).status).toBe(401);
  });

  it('counts nothing in a process started with USAGE_METERING=false, not even at its shutdown flush', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin);
    const unmetered = await startTestApp({ databaseUrl: t.databaseUrl, env: { USAGE_METERING: 'false', USAGE_FLUSH_INTERVAL_MS: '100' } });
    try {
      for (let i = 0; i < 3; i += 1) expect((await unmetered.api.get('/api/tenant', { token })).status).toBe(200);
      expect((await unmetered.api.post('/api/notes', { title: 'not metered' }, { token })).status).toBe(201);
    } finally {
      // Stopping runs the last flush, which would save whatever this process had counted.
      await unmetered.stop();
    }
    expect((await t.api.get('/api/tenant', { token })).status).toBe(200);
    expect(await eventually(tenant.id, (day) => day.apiCalls >= 1)).toMatchObject({ apiCalls: 1, writes: 0, activeUsers: 1 });
  });

  describe('a separate app process', () => {
    let child: ChildProcess | undefined;

    afterEach(async () => {
      if (child) await killHard(child);
    });

    it('saves the counts it still held when stopped with SIGTERM', async () => {
      const { tenant, token } = await tenantAdminSession(t.api, admin);
      // No timer flush can happen during the test: only the one at shutdown can save these counts.
      child = startAppProcess(t.databaseUrl, { USAGE_FLUSH_INTERVAL_MS: '300000', QUEUE_WORKER: 'false' }, { captureOutput: true });
      const api = new HttpClient(await listeningUrl(child, 90_000));
      for (let i = 0; i < 5; i += 1) expect((await api.get('/api/tenant', { token })).status).toBe(200);
      expect((await api.post('/api/notes', { title: 'before the stop' }, { token })).status).toBe(201);
      expect(await usageToday(tenant.id)).toBeUndefined();

      const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await usageToday(tenant.id)).toMatchObject({ apiCalls: 6, writes: 1, activeUsers: 1 });
    });
  });
});
