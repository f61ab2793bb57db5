import { randomBytes, randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { OutboxSweep } from '../src/control-plane/domain-events/outbox-sweep';
import { activeByodTenant } from './support/byod-tenants';
import {
  domainEventsOf,
  lastEventSeq,
  platformEventsAbout,
  RecordedEventRow,
  untilType,
  waitForDomainEvents,
} from './support/domain-events';
import { adminToken, tenantAdminSession } from './support/factories';
import { LEGACY_MYSQL } from './support/legacy-databases';
import { connectToTenantRowsOf } from './support/tenant-database-session';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Domain events over the real API: every change of tenant data is written to the tenant's outbox
 * in its transaction and relayed to the control plane's domain_events once; a rolled-back change
 * leaves none; events a process left behind after commit are relayed by the sweep, once, in order.
 */
const legacy = `domain_events_${randomBytes(4).toString('hex')}`;

describe('domain events', () => {
  let t: TestApp;
  let platformAdmin: string;
  const sql = (text: string, params?: unknown[]) => t.sql(text, params);

  beforeAll(async () => {
    const root = await createConnection({ ...LEGACY_MYSQL, multipleStatements: true });
    await root.query(`CREATE DATABASE ${legacy}`);
    await root.query(`CREATE TABLE ${legacy}.firms (firm_id integer AUTO_INCREMENT PRIMARY KEY, title varchar(100) NOT NULL)`);
    await root.query(
      `CREATE TABLE ${legacy}.opps (opp_no integer AUTO_INCREMENT PRIMARY KEY, opp_title varchar(100) NOT NULL, step varchar(20) NOT NULL DEFAULT 'lead', cents bigint NOT NULL DEFAULT 0)`,
    );
    await root.end();
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '2000' }, openApiDocs: true });
    platformAdmin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    const root = await createConnection(LEGACY_MYSQL);
    await root.query(`DROP DATABASE IF EXISTS ${legacy}`);
    await root.end();
  });

  /** An enterprise tenant with invoicing on (it needs the company address). */
  async function session(placement: string) {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin, { placement, plan: 'enterprise' });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR', address: '1 Harbour Street, Hamburg' }, { token });
    expect((await t.api.put('/api/tenant/modules/invoices', undefined, { token })).status).toBe(200);
    return { tenantId: tenant.id, token };
  }

  /** Waits until the step's last expected event arrived, then returns the step's events (all of them: extras would show). */
  async function eventsAfter(tenantId: string, afterSeq: string, lastType: string): Promise<RecordedEventRow[]> {
    return waitForDomainEvents(sql, tenantId, { afterSeq, done: untilType(lastType) });
  }

  const types = (events: RecordedEventRow[]) => events.map((event) => event.type);

  /** Polls the tenant's outbox until it is empty; fails after 10 s saying how many rows are left. */
  async function untilOutboxEmpty(tenantRows: Client, tenantId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ left }] = (await tenantRows.query('SELECT count(*)::int AS left FROM outbox_events WHERE tenant_id = $1', [tenantId]))
        .rows as Array<{ left: number }>;
      if (left === 0) return;
      if (Date.now() > deadline) throw new Error(`${left} events are still in the outbox of tenant ${tenantId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it.each(['pooled', 'dedicated'])(
    'records each change of a %s tenant exactly once, in order, with the record as the API returns it',
    async (placement) => {
      const { tenantId, token } = await session(placement);
      let mark = await lastEventSeq(sql);

      // Lifecycle of a record: created, updated (with its changes), deleted, restored.
      const account = await t.api.post('/api/accounts', { name: 'Harbour Logistics' }, { token });
      expect(account.status).toBe(201);
      const renamed = await t.api.patch(`/api/accounts/${account.body.id}`, { name: 'Harbour Logistics GmbH' }, { token });
      expect((await t.api.delete(`/api/accounts/${account.body.id}`, { token })).status).toBe(204);
      const restored = await t.api.post(`/api/accounts/${account.body.id}/restore`, undefined, { token });
      let events = await eventsAfter(tenantId, mark, 'account.restored');
      expect(types(events)).toEqual(['account.created', 'account.updated', 'account.deleted', 'account.restored']);
      expect(events.every((event) => event.tenantId === tenantId && event.version === 1)).toBe(true);
      expect(events[0].data).toEqual({ record: account.body });
      expect(events[1].data).toEqual({
        record: renamed.body,
        changes: { name: { from: 'Harbour Logistics', to: 'Harbour Logistics GmbH' } },
      });
      expect(events[2].data.record).toMatchObject({ id: account.body.id, name: 'Harbour Logistics GmbH' });
      expect(events[3].data).toEqual({ record: restored.body });
      mark = events.at(-1)!.seq;

      // A state change raises its own event besides the update.
      const deal = await t.api.post('/api/deals', { name: 'Fleet renewal', accountId: account.body.id }, { token });
      const won = await t.api.patch(`/api/deals/${deal.body.id}`, { stage: 'won' }, { token });
      events = await eventsAfter(tenantId, mark, 'deal.stage_changed');
      expect(types(events)).toEqual(['deal.created', 'deal.updated', 'deal.stage_changed']);
      expect(events[2].data).toEqual({ record: won.body, from: 'lead', to: 'won' });
      mark = events.at(-1)!.seq;

      // Stock moves with its own event, from the API and from an invoice that sells it; payments pay the invoice.
      const item = await t.api.post(
        '/api/inventory/items',
        { sku: 'VH-1', name: 'Roadster', priceSellingMinor: 1_000, initialStock: 3 },
        { token },
      );
      expect(item.status).toBe(201);
      const moved = await t.api.post(
        `/api/inventory/items/${item.body.id}/movements`,
        { kind: 'receive', quantity: 2, reason: 'delivery' },
        { token },
      );
      const invoice = await t.api.post(
        '/api/invoices',
        { lines: [{ itemId: item.body.id, description: 'Roadster', quantity: '1', unitPriceMinor: 1_000, taxRate: '0' }] },
        { token },
      );
      expect(invoice.status).toBe(201);
      const sent = await t.api.post(`/api/invoices/${invoice.body.id}/status`, { status: 'sent' }, { token });
      expect(sent.status).toBe(200);
      const paid = await t.api.post(
        `/api/invoices/${invoice.body.id}/payments`,
        { amountMinor: 1_000, method: 'bank_transfer' },
        { token },
      );
      expect(paid.status).toBe(201);
      events = await eventsAfter(tenantId, mark, 'invoice.paid');
      expect(types(events)).toEqual([
        'inventory_item.created',
        'inventory.stock_changed',
        'inventory.stock_changed',
        'invoice.created',
        'inventory.stock_changed',
        'invoice.status_changed',
        'invoice.issued',
        'payment.recorded',
        'invoice.status_changed',
        'invoice.paid',
      ]);
      expect(events[2].data).toEqual({ record: expect.objectContaining({ id: item.body.id, stockOnHand: 5 }), movement: moved.body });
      expect(events[4].data.record).toMatchObject({ stockOnHand: 4 });
      expect(events[5].data).toEqual({ record: sent.body, from: 'draft', to: 'sent' });
      expect(events[7].data).toEqual({ record: paid.body, payment: paid.body.payments[0] });
      expect(events[8].data).toMatchObject({ from: 'sent', to: 'paid' });
      expect(events[9].data).toEqual({ record: paid.body });

      // Relayed events leave the outbox (deleted just after the log took them).
      const tenantRows = await connectToTenantRowsOf(t, tenantId);
      try {
        await untilOutboxEmpty(tenantRows, tenantId);
      } finally {
        await tenantRows.end();
      }
    },
  );

  it('records the changes of contacts, activities, events and notes, their state changes included', async () => {
    const { tenantId, token } = await session('dedicated');
    await t.api.patch('/api/tenant/settings', { timezone: 'Europe/Lisbon' }, { token });
    expect((await t.api.put('/api/tenant/modules/events', undefined, { token })).status).toBe(200);
    const mark = await lastEventSeq(sql);
    const account = await t.api.post('/api/accounts', { name: 'Quay Traders' }, { token });
    const contact = await t.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token });
    const linked = await t.api.put(`/api/contacts/${contact.body.id}/accounts/${account.body.id}`, { role: 'buyer' }, { token });
    const task = await t.api.post(
      '/api/activities',
      { type: 'task', subject: 'Call Ada', relatedType: 'contact', relatedId: contact.body.id },
      { token },
    );
    const done = await t.api.post(`/api/activities/${task.body.id}/complete`, undefined, { token });
    const event = await t.api.post(
      '/api/events',
      { name: 'Gala', dates: [{ startsAt: '2027-09-01T18:00:00+01:00', endsAt: '2027-09-01T23:00:00+01:00' }] },
      { token },
    );
    const confirmed = await t.api.patch(`/api/events/${event.body.id}`, { status: 'confirmed' }, { token });
    expect([event.status, confirmed.status]).toEqual([201, 200]);
    const note = await t.api.post('/api/notes', { title: 'Seating plan' }, { token });
    expect((await t.api.delete(`/api/notes/${note.body.id}`, { token })).status).toBe(204);

    const events = await waitForDomainEvents(sql, tenantId, { afterSeq: mark, done: untilType('note.deleted') });
    expect(types(events)).toEqual([
      'account.created',
      'contact.created',
      'contact.updated',
      'activity.created',
      'activity.updated',
      'event.created',
      'event.updated',
      'event.status_changed',
      'note.created',
      'note.deleted',
    ]);
    expect(events[2].data).toEqual({ record: linked.body, changes: { accounts: { linked: account.body.id, role: 'buyer' } } });
    expect(events[4].data).toEqual({ record: done.body, changes: { completedAt: { from: null, to: done.body.completedAt } } });
    expect(events[7].data).toEqual({ record: confirmed.body, from: 'planned', to: 'confirmed' });
    expect(events[9].data).toEqual({ record: note.body });
  });

  it('orders concurrent state changes of one record: a cancelled event stays cancelled, a task completes once, each from what it was', async () => {
    const { tenantId, token } = await session('pooled');
    await t.api.patch('/api/tenant/settings', { timezone: 'Europe/Lisbon' }, { token });
    expect((await t.api.put('/api/tenant/modules/events', undefined, { token })).status).toBe(200);
    const event = await t.api.post(
      '/api/events',
      { name: 'Gala', dates: [{ startsAt: '2027-09-01T18:00:00+01:00', endsAt: '2027-09-01T23:00:00+01:00' }] },
      { token },
    );
    const contact = await t.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token });
    const task = await t.api.post(
      '/api/activities',
      { type: 'task', subject: 'Call Ada', relatedType: 'contact', relatedId: contact.body.id },
      { token },
    );
    expect([event.status, task.status]).toEqual([201, 201]);
    // What came before is in the log before the mark is taken.
    await waitForDomainEvents(sql, tenantId, { done: untilType('activity.created') });
    const mark = await lastEventSeq(sql);
    const [cancelled, confirmed, ...completions] = await Promise.all([
      t.api.patch(`/api/events/${event.body.id}`, { status: 'cancelled' }, { token }),
      t.api.patch(`/api/events/${event.body.id}`, { status: 'confirmed' }, { token }),
      t.api.post(`/api/activities/${task.body.id}/complete`, undefined, { token }),
      t.api.post(`/api/activities/${task.body.id}/complete`, undefined, { token }),
    ]);
    const final = (await t.api.get(`/api/events/${event.body.id}`, { token })).body.status;
    const chain: Array<[string, string]> = (
      await waitForDomainEvents(sql, tenantId, { afterSeq: mark, done: untilType('activity.updated') })
    )
      .filter((recorded) => recorded.type === 'event.status_changed')
      .map((recorded) => [recorded.data.from, recorded.data.to]);
    // One change a successful request, each from where the one before it left the event, none out of `cancelled`.
    expect(chain).toHaveLength([cancelled, confirmed].filter((answer) => answer.status === 200).length);
    expect(chain.map(([from]) => from)).toEqual(['planned', ...chain.slice(0, -1).map(([, to]) => to)]);
    expect(chain.at(-1)![1]).toBe(final);
    expect(chain.slice(0, -1).map(([, to]) => to)).not.toContain('cancelled');
    expect(completions.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });

  it('records nothing for a change that changes nothing: a link made again with its role, line items sent as they are', async () => {
    const { tenantId, token } = await session('dedicated');
    const account = await t.api.post('/api/accounts', { name: 'Quay Traders' }, { token });
    const contact = await t.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token });
    const lineItems = [{ description: 'Licence', quantity: 2, unitPriceMinor: 5000 }];
    const deal = await t.api.post('/api/deals', { name: 'Renewal', currency: 'EUR', lineItems }, { token });
    expect((await t.api.put(`/api/contacts/${contact.body.id}/accounts/${account.body.id}`, { role: 'buyer' }, { token })).status).toBe(
      200,
    );
    // What came before is in the log before the mark is taken.
    await waitForDomainEvents(sql, tenantId, { done: untilType('contact.updated') });
    const mark = await lastEventSeq(sql);
    const again = await t.api.put(`/api/contacts/${contact.body.id}/accounts/${account.body.id}`, { role: 'buyer' }, { token });
    expect(again.status).toBe(200);
    expect((await t.api.patch(`/api/deals/${deal.body.id}`, { lineItems }, { token })).status).toBe(200);
    expect((await t.api.patch(`/api/deals/${deal.body.id}`, { name: 'Renewal 2027' }, { token })).status).toBe(200);
    const events = await waitForDomainEvents(sql, tenantId, { afterSeq: mark, done: untilType('deal.updated') });
    expect(events.map((recorded) => [recorded.type, Object.keys(recorded.data.changes)])).toEqual([['deal.updated', ['name']]]);
  });

  it('announces and audits the child notes a deleted note leaves without their parent', async () => {
    const { tenantId, token } = await session('pooled');
    const parent = await t.api.post('/api/notes', { title: 'Seating plan' }, { token });
    const child = await t.api.post('/api/notes', { title: 'Table 4', parentId: parent.body.id }, { token });
    await waitForDomainEvents(sql, tenantId, { done: (events) => events.filter((event) => event.type === 'note.created').length === 2 });
    const mark = await lastEventSeq(sql);
    expect((await t.api.delete(`/api/notes/${parent.body.id}`, { token })).status).toBe(204);
    const orphaned = (await t.api.get(`/api/notes/${child.body.id}`, { token })).body;
    expect(orphaned.parentId).toBeNull();
    const events = await waitForDomainEvents(sql, tenantId, { afterSeq: mark, done: untilType('note.deleted') });
    expect(events.map((event) => [event.type, event.data.record.id])).toEqual([
      ['note.updated', child.body.id],
      ['note.deleted', parent.body.id],
    ]);
    expect(events[0].data).toEqual({ record: orphaned, changes: { parentId: { from: parent.body.id, to: null } } });
    const audited = await t.api.get(`/api/audit?entity=note&entityId=${child.body.id}`, { token });
    expect(audited.body.items.map((entry: { action: string }) => entry.action)).toEqual(['update', 'create']);
  });

  it('records nothing for a change that rolls back, even after some of its writes', async () => {
    const { tenantId, token } = await session('pooled');
    const item = (sku: string, initialStock?: number) =>
      t.api.post('/api/inventory/items', { sku, name: sku, priceSellingMinor: 500, ...(initialStock ? { initialStock } : {}) }, { token });
    const inStock = await item('IN-STOCK', 5);
    const outOfStock = await item('OUT-OF-STOCK');
    const line = (itemId: string) => ({ itemId, description: 'x', quantity: '1', unitPriceMinor: 500, taxRate: '0' });
    const invoice = await t.api.post('/api/invoices', { lines: [line(inStock.body.id), line(outOfStock.body.id)] }, { token });
    const mark = (await waitForDomainEvents(sql, tenantId, { done: untilType('invoice.created') })).at(-1)!.seq;

    // Sending moves the first line's stock (an outbox row written), then the second line is refused: all rolls back.
    expect((await t.api.post(`/api/invoices/${invoice.body.id}/status`, { status: 'sent' }, { token })).status).toBe(409);
    // Validation refused before the transaction: nothing either.
    expect((await t.api.post('/api/accounts', { name: 'x', unknownField: 1 }, { token })).status).toBe(400);
    // A later change's event is the next one in the tenant's log.
    await t.api.post('/api/accounts', { name: 'Sentinel' }, { token });
    const events = await waitForDomainEvents(sql, tenantId, { afterSeq: mark, done: untilType('account.created') });
    expect(types(events)).toEqual(['account.created']);
    expect((await t.api.get(`/api/inventory/items/${inStock.body.id}`, { token })).body.stockOnHand).toBe(5);
  });

  it.each(['pooled', 'dedicated'])(
    'relays events a process left in a %s tenant’s outbox after commit through the sweep, once and in order',
    async (placement) => {
      const { tenantId } = await session(placement);
      const mark = await lastEventSeq(sql);
      // As a process killed between its commit and its relay leaves them: rows in the outbox, no kick.
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const tenantRows = await connectToTenantRowsOf(t, tenantId);
      try {
        for (const [index, id] of ids.entries()) {
          await tenantRows.query(`INSERT INTO outbox_events (tenant_id, id, type, version, data) VALUES ($1, $2, 'note.created', 1, $3)`, [
            tenantId,
            id,
            { record: { id, title: `left behind ${index}` } },
          ]);
        }
        const sweep = t.app.get(OutboxSweep);
        await sweep.sweep();
        await sweep.sweep();
        const events = await domainEventsOf(sql, tenantId, mark);
        expect(events.map((event) => event.id)).toEqual(ids);
        expect(events.map((event) => event.data.record.title)).toEqual(['left behind 0', 'left behind 1', 'left behind 2']);
        expect((await tenantRows.query('SELECT count(*)::int AS left FROM outbox_events WHERE tenant_id = $1', [tenantId])).rows).toEqual([
          { left: 0 },
        ]);
      } finally {
        await tenantRows.end();
      }
    },
  );

  it('records a byod write in the control-plane transaction that audits it', async () => {
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    const { tenant, token } = await activeByodTenant(t.api, platformAdmin, {
      settings: { kind: 'mysql', connection },
      entities: {
        account: { table: 'firms', fields: { id: 'firm_id', name: 'title' } },
        deal: {
          table: 'opps',
          fields: { id: 'opp_no', name: 'opp_title', stage: 'step', amount_minor: 'cents' },
          valueMaps: {
            stage: Object.fromEntries(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'].map((stage) => [stage, stage])),
          },
        },
      },
    });
    expect((await t.api.put('/api/tenant/modules/deals', undefined, { token })).status).toBe(200);
    const mark = await lastEventSeq(sql);
    const created = await t.api.post('/api/accounts', { name: 'Legacy Firm' }, { token });
    expect(created.status).toBe(201);
    const renamed = await t.api.patch(`/api/accounts/${created.body.id}`, { name: 'Renamed Firm' }, { token });
    expect(renamed.status).toBe(200);
    const events = await domainEventsOf(sql, tenant.id, mark);
    expect(types(events)).toEqual(['account.created', 'account.updated']);
    expect(events[0].data).toEqual({ record: { id: String(created.body.id), name: 'Legacy Firm' } });
    // As the catalog says of a tenant whose data lives in its own system: the new values alone, as the sync announces them.
    expect(events[1].data).toEqual({ record: { id: String(created.body.id), name: 'Renamed Firm' }, changes: { name: 'Renamed Firm' } });

    // A state change raises its event as on the other placements, from a previous value that is not read (null).
    const deal = await t.api.post('/api/deals', { name: 'Big one' }, { token });
    const dealMark = await lastEventSeq(sql);
    expect((await t.api.patch(`/api/deals/${deal.body.id}`, { stage: 'won' }, { token })).status).toBe(200);
    const won = await domainEventsOf(sql, tenant.id, dealMark);
    expect(won.map((event) => [event.type, event.data])).toEqual([
      ['deal.updated', { record: { id: String(deal.body.id), stage: 'won' }, changes: { stage: 'won' } }],
      ['deal.stage_changed', { record: { id: String(deal.body.id), stage: 'won' }, from: null, to: 'won' }],
    ]);
    const [audited] = await t.sql(
      `SELECT count(*)::int AS entries FROM audit_log WHERE tenant_id = $1 AND action = 'data.create' AND target_type = 'account'`,
      [tenant.id],
    );
    expect(audited.entries).toBe(1);
  });

  it('records the tenant’s status changes as platform events and its memberships as the tenant’s', async () => {
    const { tenantId } = await session('pooled');
    expect(types(await domainEventsOf(sql, tenantId))).toContain('user.added');
    const provisioned = await platformEventsAbout(sql, tenantId);
    expect(provisioned.map(({ type, tenantId: owner, data }) => [type, owner, data.tenant.status])).toEqual([
      ['tenant.provisioned', null, 'active'],
    ]);
    const mark = await lastEventSeq(sql);
    expect((await t.api.post(`/control/tenants/${tenantId}/suspend`, undefined, { token: platformAdmin })).status).toBe(200);
    expect((await t.api.post(`/control/tenants/${tenantId}/resume`, undefined, { token: platformAdmin })).status).toBe(200);
    const events = await platformEventsAbout(sql, tenantId, mark);
    expect(events.map(({ type, data }) => [type, data.from, data.to])).toEqual([
      ['tenant.suspended', 'active', 'suspended'],
      ['tenant.resumed', 'suspended', 'active'],
    ]);
    expect(await domainEventsOf(sql, tenantId, mark)).toEqual([]);
  });

  it('documents every event type with its version and data in the catalog and the OpenAPI document', async () => {
    const { token } = await session('pooled');
    const catalog = await t.api.get('/api/domain-events/catalog', { token });
    expect(catalog.status).toBe(200);
    expect(catalog.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'invoice.paid', version: 1, recordSchema: 'InvoiceDto' }),
        expect.objectContaining({
          type: 'account.updated',
          version: 1,
          recordSchema: 'AccountDto',
          fields: { changes: expect.any(String) },
        }),
        // Its members' events, which its endpoints receive too.
        expect.objectContaining({ type: 'user.added', version: 1 }),
      ]),
    );
    expect(catalog.body.map((entry: { type: string }) => entry.type)).not.toContain('tenant.suspended');
    const document = await t.api.get('/docs-json');
    for (const { recordSchema } of catalog.body) if (recordSchema) expect(document.body.components.schemas).toHaveProperty(recordSchema);
  });
});
