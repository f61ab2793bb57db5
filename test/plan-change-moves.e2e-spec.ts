import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { TenantConnectionProvider } from '../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../libs/tenancy/tenant-directory-cache';
import { boundTenantOf } from '../libs/tenancy/tenant-placement';
import { RetryLaterException } from '../src/platform/errors/retry-later.exception';
import { until } from './support/until';
import { adminToken, createUser, loginAs, tenantAdminSession, unique } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A plan change that calls for another placement (the new plan's default placement differs from
 * where the tenant lives) offers the move in its answer and audit, and `?move=true` starts it. The
 * move runs in this process's worker, on the suite's PostgreSQL (pooled → a dedicated database).
 */
describe('plan changes that call for another placement', () => {
  let t: TestApp;
  let admin: string;
  const plans = { pooled: '', otherPooled: '', dedicated: '' };

  beforeAll(async () => {
    t = await startTestApp({ env: { QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1', TENANT_MOVE_RETENTION_SECONDS: '1' } });
    admin = await adminToken(t.api);
    for (const [key, placement] of [
      ['pooled', 'pooled'],
      ['otherPooled', 'pooled'],
      ['dedicated', 'dedicated'],
    ] as const) {
      const name = unique(`move${key}`).toLowerCase().replace(/-/g, '');
      const created = await t.api.post(
        '/control/plans',
        { name, displayName: name, modules: ['contacts'], defaultPlacement: placement },
        { token: admin },
      );
      expect(created.status).toBe(201);
      plans[key] = name;
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const changePlan = (tenantId: string, plan: string, query = '') =>
    t.api.patch(`/control/tenants/${tenantId}${query}`, { plan }, { token: admin });

  async function auditedUpdates(tenantId: string) {
    const logged = await t.api.get(`/control/audit?tenantId=${tenantId}&action=tenant.update`, { token: admin });
    expect(logged.status).toBe(200);
    return logged.body.items as Array<{ changes: Record<string, unknown> }>;
  }

  it('offers the move when the new plan places tenants elsewhere, records the offer in the audit, and starts nothing', async () => {
    const { tenant } = await tenantAdminSession(t.api, admin, { plan: plans.pooled, placement: 'pooled' });

    const same = await changePlan(tenant.id, plans.otherPooled);
    expect(same.status).toBe(200);
    expect(same.body.plan).toBe(plans.otherPooled);
    expect(same.body).not.toHaveProperty('placementChange');

    const upgraded = await changePlan(tenant.id, plans.dedicated);
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ plan: plans.dedicated, placement: 'pooled' });
    expect(upgraded.body.placementChange).toEqual({
      from: 'pooled',
      to: 'dedicated',
      startMove: { method: 'POST', path: `/control/tenants/${tenant.id}/moves`, body: { placement: 'dedicated' } },
      move: null,
    });
    const [latest, earlier] = await auditedUpdates(tenant.id);
    expect(latest.changes).toMatchObject({
      plan: { from: plans.otherPooled, to: plans.dedicated },
      placementChange: { from: 'pooled', to: 'dedicated', moveId: null },
    });
    expect(earlier.changes).not.toHaveProperty('placementChange');
    expect((await t.api.get(`/control/tenants/${tenant.id}/moves`, { token: admin })).body).toEqual([]);

    // Renaming is no plan change: nothing is offered again.
    const renamed = await t.api.patch(`/control/tenants/${tenant.id}`, { name: 'Renamed' }, { token: admin });
    expect(renamed.body).not.toHaveProperty('placementChange');
  });

  it('with ?move=true queues the move with the plan change, and the move completes: the tenant then lives where its plan says', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plans.pooled, placement: 'pooled' });
    const contact = await t.api.post('/api/contacts', { firstName: 'Moved', lastName: 'Along' }, { token });
    expect(contact.status).toBe(201);

    const changed = await changePlan(tenant.id, plans.dedicated, '?move=true');
    expect(changed.status).toBe(200);
    const move = changed.body.placementChange.move;
    expect(move).toMatchObject({
      tenantId: tenant.id,
      status: 'running',
      source: { placement: 'pooled' },
      target: { placement: 'dedicated' },
    });
    const [latest] = await auditedUpdates(tenant.id);
    expect(latest.changes).toMatchObject({ placementChange: { from: 'pooled', to: 'dedicated', moveId: move.id } });

    const deadline = Date.now() + 60_000;
    let settled = move;
    while (!['completed', 'failed', 'abandoned'].includes(settled.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      settled = (await t.api.get(`/control/tenants/${tenant.id}/moves/${move.id}`, { token: admin })).body;
    }
    expect(settled.status).toBe('completed');
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body).toMatchObject({
      plan: plans.dedicated,
      placement: 'dedicated',
    });
    expect((await t.api.get(`/api/contacts/${contact.body.id}`, { token })).body).toMatchObject({ firstName: 'Moved' });

    // Back on a pooled plan, the move back is offered.
    const back = await changePlan(tenant.id, plans.pooled);
    expect(back.body.placementChange).toMatchObject({ from: 'dedicated', to: 'pooled', move: null });
  });

  it('refuses with 503 a write that took its connection before the move switched the tenant elsewhere, writing nothing into the old copy', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, { plan: plans.pooled, placement: 'pooled' });
    // What a request bound just before the switch holds: the tenant's record as it was, pointing at the pool.
    const boundBefore = boundTenantOf((await t.app.get(TenantDirectoryCache).find(tenant.id))!);
    const changed = await changePlan(tenant.id, plans.dedicated, '?move=true');
    const moveId = changed.body.placementChange.move.id as string;
    await until(async () => (await t.sql(`SELECT 1 FROM tenant_moves WHERE id = $1 AND status = 'completed'`, [moveId])).length, 60_000);

    // That request's write transaction begins only now (it waited for a connection, or out the freeze).
    const cls = t.app.get(ClsService);
    const late = cls.run(() => {
      t.app.get(TenantContext).set(boundBefore);
      return t.app
        .get(TenantConnectionProvider)
        .transaction((manager) =>
          manager.manager.query(`INSERT INTO contacts (tenant_id, first_name, last_name) VALUES ($1, 'Lost', 'Write')`, [tenant.id]),
        );
    });
    await expect(late).rejects.toThrow(RetryLaterException);
    await expect(late).rejects.toThrow(/moved while this write waited/);

    const [pool] = await t.sql<{ database_name: string }>('SELECT database_name FROM tenant_pools WHERE id = $1', [t.tenantPoolId]);
    const oldCopy = new URL(t.databaseUrl);
    oldCopy.pathname = `/${pool.database_name}`;
    const client = new Client({ connectionString: oldCopy.toString() });
    await client.connect();
    try {
      expect((await client.query(`SELECT count(*)::int AS count FROM contacts WHERE last_name = 'Write'`)).rows).toEqual([{ count: 0 }]);
    } finally {
      await client.end();
    }
    // Sent again, the write lands in the tenant's new database.
    expect((await t.api.post('/api/contacts', { firstName: 'Lost', lastName: 'Write' }, { token })).status).toBe(201);
    expect((await t.api.get('/api/contacts', { token })).body.items).toHaveLength(1);
  });

  it('shows a super admin allowed to change the plan no offer, and refuses it ?move=true with a 403 naming `move`', async () => {
    const { tenant } = await tenantAdminSession(t.api, admin, { plan: plans.pooled, placement: 'pooled' });
    const user = await createUser(t.api, admin);
    const assigned = await t.api.put(
      `/control/users/${user.id}/platform-role`,
      { role: 'super_admin', tenantIds: [tenant.id], planChangeTenantIds: [tenant.id] },
      { token: admin },
    );
    expect(assigned.status).toBe(200);
    const superAdmin = (await loginAs(t.api, user.email, user.password)).accessToken;

    const refused = await t.api.patch(`/control/tenants/${tenant.id}?move=true`, { plan: plans.dedicated }, { token: superAdmin });
    expect(refused.status).toBe(403);
    expect(refused.body.details.map((detail: { field: string }) => detail.field)).toEqual(['move']);
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body.plan).toBe(plans.pooled);

    const changed = await t.api.patch(`/control/tenants/${tenant.id}`, { plan: plans.dedicated }, { token: superAdmin });
    expect(changed.status).toBe(200);
    expect(changed.body.plan).toBe(plans.dedicated);
    expect(changed.body).not.toHaveProperty('placementChange');
    expect((await auditedUpdates(tenant.id))[0].changes).toMatchObject({
      placementChange: { from: 'pooled', to: 'dedicated', moveId: null },
    });
  });

  it('changes nothing when ?move=true cannot start the move, or is not `true` or `false`', async () => {
    const { tenant } = await tenantAdminSession(t.api, admin, { plan: plans.pooled, placement: 'pooled' });
    const bad = await changePlan(tenant.id, plans.dedicated, '?move=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field)).toEqual(['move']);

    expect((await t.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin })).status).toBe(200);
    const refused = await changePlan(tenant.id, plans.dedicated, '?move=true');
    expect(refused.status).toBe(409);
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body.plan).toBe(plans.pooled);
    expect((await t.api.get(`/control/tenants/${tenant.id}/moves`, { token: admin })).body).toEqual([]);
    expect(await auditedUpdates(tenant.id)).toEqual([]);

    // Without move, the suspended tenant's plan changes and the move is only offered.
    const offered = await changePlan(tenant.id, plans.dedicated);
    expect(offered.status).toBe(200);
    expect(offered.body.placementChange).toMatchObject({ from: 'pooled', to: 'dedicated', move: null });
  });
});
