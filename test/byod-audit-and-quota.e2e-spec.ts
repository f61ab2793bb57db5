import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { adminToken, tenantAdminSession } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { LEGACY_MYSQL, onLegacyMysql } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A byod tenant's writes to its own system are audited in the control plane (it has no database
 * of ours), and its plan's maxContacts holds on its own contacts table.
 */
const suffix = randomBytes(4).toString('hex');
const legacy = `byod_audit_${suffix}`;
const CONTACT_QUOTA = 3;

const MAPPINGS = {
  inventory_item: {
    table: 'goods',
    fields: { sku: 'code', name: 'title', stock_on_hand: 'qty', price_selling_minor: 'cents' },
    validations: { name: { minLength: 3 } },
  },
  contact: { table: 'people', fields: { id: 'person_id', first_name: 'given', last_name: 'family', email: 'mail' } },
};

describe('byod writes audited in the control plane; maxContacts on mapped contacts', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    await onLegacyMysql(`CREATE DATABASE ${legacy}`);
    await onLegacyMysql(
      `CREATE TABLE goods (code varchar(32) PRIMARY KEY, title varchar(100) NOT NULL, qty integer NOT NULL, cents integer NOT NULL);
       CREATE TABLE people (person_id integer AUTO_INCREMENT PRIMARY KEY, given varchar(80) NOT NULL, family varchar(80) NOT NULL, mail varchar(200));`,
      legacy,
    );
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '2000' } });
    admin = await adminToken(t.api);
    // This app's own control plane: plans are not editable through the API yet.
    await t.sql(`UPDATE plans SET max_contacts = ${CONTACT_QUOTA} WHERE name = 'professional'`);
  });

  afterAll(async () => {
    await t?.close();
    const root = await createConnection(LEGACY_MYSQL);
    await root.query(`DROP DATABASE IF EXISTS ${legacy}`);
    await root.end();
  });

  function byodTenant() {
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    return activeByodTenant(t.api, admin, { settings: { kind: 'mysql', connection }, entities: MAPPINGS });
  }

  it('records every confirmed write (create, change, stock movement, delete) with its actor, readable by the tenant and the platform admin', async () => {
    const { tenant, token } = await byodTenant();
    const sku = `AU-${suffix}`;
    expect((await t.api.post('/api/inventory/items', { sku, name: 'Audited', priceSellingMinor: 500 }, { token })).status).toBe(201);
    expect((await t.api.patch(`/api/inventory/items/${sku}`, { name: 'Renamed' }, { token })).status).toBe(200);
    expect(
      (await t.api.post(`/api/inventory/items/${sku}/movements`, { kind: 'receive', quantity: 2, reason: 'delivery' }, { token })).status,
    ).toBe(201);
    expect((await t.api.delete(`/api/inventory/items/${sku}`, { token })).status).toBe(204);

    const trail = await t.api.get(`/api/audit?entityId=${sku}`, { token });
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'update', 'update', 'create']);
    const [deleted, received, renamed, created] = trail.body.items;
    expect(created).toMatchObject({
      entity: 'inventory_item',
      entityId: sku,
      actorUserId: tenant.admin.id,
      changes: { sku, name: 'Audited', priceSellingMinor: 500 },
    });
    expect(renamed.changes).toEqual({ name: { to: 'Renamed' } });
    expect(received.changes).toEqual({ stockOnHand: { by: 2, to: 2 } });
    expect(deleted.changes).toEqual({});

    const control = await t.api.get(`/control/audit?tenantId=${tenant.id}&action=data.create`, { token: admin });
    expect(control.body.items).toEqual([
      expect.objectContaining({ targetType: 'inventory_item', targetId: sku, actorUserId: tenant.admin.id }),
    ]);
  });

  it('records nothing for a write that never reached the customer or that it refused', async () => {
    const { token } = await byodTenant();
    const sku = `NO-${suffix}`;
    expect((await t.api.post('/api/inventory/items', { sku, name: 'No', priceSellingMinor: 1 }, { token })).status).toBe(400);
    expect((await t.api.patch('/api/inventory/items/NOT-THERE', { name: 'Nothing' }, { token })).status).toBe(404);
    expect((await t.api.delete('/api/inventory/items/NOT-THERE', { token })).status).toBe(404);
    expect((await t.api.get('/api/audit', { token })).body.items).toEqual([]);
  });

  it('a pooled tenant’s audit still takes only UUIDs as record ids', async () => {
    const { token } = await tenantAdminSession(t.api, admin);
    const answer = await t.api.get('/api/audit?entityId=VH-001', { token });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([{ field: 'entityId', problems: ['must be a UUID'] }]);
  });

  it('refuses a contact beyond the plan’s maxContacts, counted in the customer’s own table, even when requests race', async () => {
    await onLegacyMysql('DELETE FROM people', legacy);
    await onLegacyMysql(`INSERT INTO people (given, family) VALUES ('Ada', 'Existing')`, legacy);
    const { token } = await byodTenant();
    const racing = await Promise.all(
      Array.from({ length: 4 }, (_, index) => t.api.post('/api/contacts', { firstName: 'New', lastName: `Racer ${index}` }, { token })),
    );
    expect(racing.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409]);
    const refused = racing.find((answer) => answer.status === 409)!;
    expect(refused.body).toMatchObject({
      message: `Quota maxContacts reached: the Professional plan allows ${CONTACT_QUOTA} contacts and this tenant has ${CONTACT_QUOTA}`,
      details: [{ field: 'quota.maxContacts', problems: [`limit ${CONTACT_QUOTA} reached`] }],
    });
    expect(await onLegacyMysql('SELECT count(*) AS n FROM people', legacy)).toEqual([{ n: CONTACT_QUOTA }]);
  });
});
