import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, tenantAdminSession } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Deals and activities of byod tenants served from a customer's own MariaDB and PostgreSQL tables
 * through their mappings: the same /api routes as every tenant, the customer's names, keys and
 * values underneath; what the mapping leaves out refused before anything is written.
 */
const suffix = randomBytes(4).toString('hex');
const legacyName = `byod_deals_${suffix}`;
const RW_ROLE = `byod_deals_rw_${suffix}`;
const RO_ROLE = `byod_deals_ro_${suffix}`;
const PASSWORD = `legacy-deals-${suffix}`;

/** A sales team's MariaDB: stages in an ENUM, amounts in cents, follow-ups with a done flag, opportunities tied to customers by a foreign key. */
const MYSQL_SCHEMA = [
  `CREATE TABLE customers (customer_no int AUTO_INCREMENT PRIMARY KEY, customer_name varchar(200) NOT NULL)`,
  `CREATE TABLE opportunities (
    opp_no int AUTO_INCREMENT PRIMARY KEY,
    opp_title varchar(120) NOT NULL,
    pipeline_step ENUM('NEW','QUAL','PROP','NEGO','CLOSED_WON','CLOSED_LOST') NOT NULL DEFAULT 'NEW',
    value_cents bigint NOT NULL DEFAULT 0,
    close_on date NULL,
    customer_no int NULL,
    person_no int NULL,
    FOREIGN KEY (customer_no) REFERENCES customers (customer_no)
  )`,
  `CREATE TABLE followups (
    followup_no int AUTO_INCREMENT PRIMARY KEY,
    kind ENUM('CALL','MAIL','MEET','TODO','MEMO') NOT NULL,
    headline varchar(200) NOT NULL,
    about_kind varchar(12) NOT NULL,
    about_no int NOT NULL,
    due_on datetime NULL,
    is_done tinyint(1) NOT NULL DEFAULT 0
  )`,
  `INSERT INTO customers VALUES (1, 'Acme Motors'), (2, 'Globex')`,
  `INSERT INTO opportunities VALUES
    (1, 'Acme fleet renewal', 'PROP', 2499000, '2027-03-31', 1, NULL),
    (2, 'Globex pilot', 'NEW', 50000, '2027-06-30', 2, NULL),
    (3, 'Initech upgrade', 'CLOSED_LOST', 120000, NULL, NULL, NULL)`,
  `INSERT INTO followups VALUES
    (1, 'CALL', 'Intro call', 'OPPORTUNITY', 1, NULL, 0),
    (2, 'TODO', 'Send the offer', 'OPPORTUNITY', 1, '2027-01-15 09:00:00', 0),
    (3, 'TODO', 'Old follow-up', 'CUSTOMER', 2, '2026-01-01 08:00:00', 1)`,
];
const MYSQL_ENTITIES = {
  account: { table: 'customers', fields: { id: 'customer_no', name: 'customer_name' } },
  deal: {
    table: 'opportunities',
    fields: {
      id: 'opp_no',
      name: 'opp_title',
      stage: 'pipeline_step',
      amount_minor: 'value_cents',
      expected_close_date: 'close_on',
      account_id: 'customer_no',
      contact_id: 'person_no',
    },
    valueMaps: {
      stage: { lead: 'NEW', qualified: 'QUAL', proposal: 'PROP', negotiation: 'NEGO', won: 'CLOSED_WON', lost: 'CLOSED_LOST' },
    },
  },
  activity: {
    table: 'followups',
    fields: {
      id: 'followup_no',
      type: 'kind',
      subject: 'headline',
      related_type: 'about_kind',
      related_id: 'about_no',
      due_at: 'due_on',
      completed: 'is_done',
    },
    valueMaps: {
      type: { call: 'CALL', email: 'MAIL', meeting: 'MEET', task: 'TODO', note: 'MEMO' },
      related_type: { account: 'CUSTOMER', contact: 'PERSON', deal: 'OPPORTUNITY' },
    },
  },
};

/** A consultancy's PostgreSQL: UUID keys, stages as words, a currency column, touches with a completion time and no done flag. */
const PG_DEAL_IDS = [
  '4b1e0c3a-1f6e-4a51-9b8e-000000000001',
  '4b1e0c3a-1f6e-4a51-9b8e-000000000002',
  '4b1e0c3a-1f6e-4a51-9b8e-000000000003',
];
const PG_SCHEMA = `
  CREATE TABLE crm_deals (
    deal_uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label text NOT NULL,
    phase varchar(12) NOT NULL CHECK (phase IN ('Lead', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost')),
    worth integer NOT NULL,
    ccy char(3) NOT NULL DEFAULT 'CHF',
    expected_on date,
    org_ref text
  );
  CREATE TABLE crm_touches (
    touch_id bigserial PRIMARY KEY,
    touch_type text NOT NULL,
    summary text NOT NULL,
    notes text,
    target_type text NOT NULL,
    target_ref text NOT NULL,
    due timestamptz,
    finished_at timestamptz
  );
  INSERT INTO crm_deals VALUES
    ('${PG_DEAL_IDS[0]}', 'Acme fleet renewal', 'Proposal', 2499000, 'EUR', '2027-03-31', 'ORG-1'),
    ('${PG_DEAL_IDS[1]}', 'Globex pilot', 'Lead', 50000, 'CHF', '2027-06-30', 'ORG-2'),
    ('${PG_DEAL_IDS[2]}', 'Initech upgrade', 'Lost', 120000, 'CHF', NULL, NULL);
  INSERT INTO crm_touches (touch_type, summary, notes, target_type, target_ref, due, finished_at) VALUES
    ('phone', 'Intro call', 'Went well', 'deal', '${PG_DEAL_IDS[0]}', NULL, NULL),
    ('todo', 'Send the offer', NULL, 'deal', '${PG_DEAL_IDS[0]}', '2027-01-15T09:00:00Z', NULL),
    ('todo', 'Old follow-up', NULL, 'account', 'ORG-2', '2026-01-01T08:00:00Z', '2026-01-02T10:00:00Z');
  CREATE ROLE ${RW_ROLE} LOGIN PASSWORD '${PASSWORD}';
  CREATE ROLE ${RO_ROLE} LOGIN PASSWORD '${PASSWORD}';
  GRANT SELECT, INSERT, UPDATE, DELETE ON crm_deals, crm_touches TO ${RW_ROLE};
  GRANT USAGE ON SEQUENCE crm_touches_touch_id_seq TO ${RW_ROLE};
  GRANT SELECT ON crm_deals, crm_touches TO ${RO_ROLE};`;
const PG_ENTITIES = {
  deal: {
    table: 'crm_deals',
    fields: {
      id: 'deal_uuid',
      name: 'label',
      stage: 'phase',
      amount_minor: 'worth',
      currency: 'ccy',
      expected_close_date: 'expected_on',
      account_id: 'org_ref',
    },
    valueMaps: {
      stage: { lead: 'Lead', qualified: 'Qualified', proposal: 'Proposal', negotiation: 'Negotiation', won: 'Won', lost: 'Lost' },
    },
  },
  activity: {
    table: 'crm_touches',
    fields: {
      id: 'touch_id',
      type: 'touch_type',
      subject: 'summary',
      body: 'notes',
      related_type: 'target_type',
      related_id: 'target_ref',
      due_at: 'due',
      completed_at: 'finished_at',
    },
    valueMaps: {
      type: { call: 'phone', email: 'email', meeting: 'visit', task: 'todo', note: 'note' },
      related_type: { account: 'account', contact: 'contact', deal: 'deal' },
    },
  },
};

async function mysqlRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
  try {
    const [rows] = await mysql.query(sql, params);
    return rows as T[];
  } finally {
    await mysql.end();
  }
}

async function pgRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: legacyPostgresUrl(legacyName) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const pgConnection = (user: string) => {
  const url = new URL(legacyPostgresUrl(legacyName));
  return { host: url.hostname, port: Number(url.port || 5432), database: legacyName, user, password: PASSWORD };
};

/** What differs between the two legacy systems, in their own names and keys. */
const LEGACY = {
  mysql: {
    source: (user: string, password: string) => ({
      kind: 'mysql',
      connection: { host: '127.0.0.1', port: 3306, database: legacyName, user, password },
    }),
    readWrite: () => LEGACY.mysql.source('root', ''),
    readOnly: () => LEGACY.mysql.source(RO_ROLE, PASSWORD),
    entities: MYSQL_ENTITIES,
    deals: ['1', '2', '3'],
    accountRef: '1',
    currency: 'EUR',
    dealRow: async (id: string) =>
      (
        await mysqlRows<{ stage: string; amount: number }>(
          'SELECT pipeline_step AS stage, value_cents AS amount FROM opportunities WHERE opp_no = ?',
          [id],
        )
      )[0],
    dealCount: async () => (await mysqlRows<{ n: number }>('SELECT count(*) AS n FROM opportunities'))[0].n,
    activityCount: async () => (await mysqlRows<{ n: number }>('SELECT count(*) AS n FROM followups'))[0].n,
    /** Whether the customer's row says the task is done. */
    taskDone: async (id: string) =>
      (await mysqlRows<{ done: number }>('SELECT is_done AS done FROM followups WHERE followup_no = ?', [id]))[0].done === 1,
    storedStage: { won: 'CLOSED_WON', proposal: 'PROP' },
    /** A field this mapping leaves out, with a value the API accepts. */
    unmappedDealField: { currency: 'USD' },
    unmappedActivityField: { body: 'Notes' },
  },
  postgres: {
    readWrite: () => ({ kind: 'postgres', connection: pgConnection(RW_ROLE) }),
    readOnly: () => ({ kind: 'postgres', connection: pgConnection(RO_ROLE) }),
    entities: PG_ENTITIES,
    deals: PG_DEAL_IDS,
    accountRef: 'ORG-1',
    currency: 'EUR',
    dealRow: async (id: string) =>
      (
        await pgRows<{ stage: string; amount: number }>('SELECT phase AS stage, worth AS amount FROM crm_deals WHERE deal_uuid = $1', [id])
      )[0],
    dealCount: async () => Number((await pgRows<{ n: string }>('SELECT count(*) AS n FROM crm_deals'))[0].n),
    activityCount: async () => Number((await pgRows<{ n: string }>('SELECT count(*) AS n FROM crm_touches'))[0].n),
    taskDone: async (id: string) =>
      (await pgRows<{ finished_at: Date | null }>('SELECT finished_at FROM crm_touches WHERE touch_id = $1', [id]))[0].finished_at !== null,
    storedStage: { won: 'Won', proposal: 'Proposal' },
    unmappedDealField: { contactId: '42' },
    unmappedActivityField: { ownerUserId: '6d2f4a0e-8b8c-4c1e-9d55-3a1f0f6c9e21' },
  },
} as const;

describe('deals and activities of byod tenants, served from their own databases', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    for (const statement of MYSQL_SCHEMA) await mysql.query(statement);
    await mysql.query(`CREATE USER '${RO_ROLE}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await mysql.query(`GRANT SELECT ON ${legacyName}.* TO '${RO_ROLE}'@'%'`);
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${legacyName}`);
    await onLegacyPostgres(legacyName, PG_SCHEMA);
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true' } });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.query(`DROP USER IF EXISTS '${RO_ROLE}'@'%'`);
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${RW_ROLE}; DROP ROLE IF EXISTS ${RO_ROLE}`);
  });

  /** A byod tenant on `source` with `entities` mapped, active, deals and activities enabled; its admin's token. */
  async function byodTenant(source: object, entities: object, readOnly = false) {
    const { tenant, token } = await activeByodTenant(t.api, admin, { settings: source, entities, readOnly });
    expect((await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token })).status).toBe(200);
    for (const module of ['deals', 'activities'])
      expect((await t.api.put(`/api/tenant/modules/${module}`, undefined, { token })).status).toBe(200);
    return { tenant, token };
  }

  describe.each(['mysql', 'postgres'] as const)('on %s', (kind) => {
    const legacy = LEGACY[kind];
    let token: string;

    beforeAll(async () => {
      ({ token } = await byodTenant(legacy.readWrite(), legacy.entities));
    });

    const ids = async (path: string) => (await t.api.get(path, { token })).body.items.map((item: { id: string }) => item.id);

    it('says deals and activities are served from the tenant’s system', async () => {
      const modules = (await t.api.get('/api/tenant/modules', { token })).body as Array<{
        name: string;
        served: boolean;
        enabled: boolean;
      }>;
      expect(modules.filter((module) => ['deals', 'activities'].includes(module.name))).toEqual([
        expect.objectContaining({ name: 'deals', served: true, enabled: true }),
        expect.objectContaining({ name: 'activities', served: true, enabled: true }),
      ]);
    });

    it('lists, filters, sorts, pages and reads deals in our fields, stages translated', async () => {
      const [acme, globex, initech] = legacy.deals;
      const list = await t.api.get('/api/deals?sort=name', { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((deal: { id: string }) => deal.id)).toEqual([acme, globex, initech]);
      expect(list.body.items[0]).toEqual({
        id: acme,
        name: 'Acme fleet renewal',
        stage: 'proposal',
        amountMinor: 2_499_000,
        currency: 'EUR',
        expectedCloseDate: '2027-03-31',
        ownerUserId: null,
        accountId: legacy.accountRef,
        contactId: null,
        customFields: {},
        lineItems: [],
        createdAt: null,
        updatedAt: null,
      });
      expect(await ids('/api/deals?stage=lost')).toEqual([initech]);
      expect(await ids('/api/deals?minAmount=100000&maxAmount=2000000&sort=name')).toEqual([initech]);
      expect(await ids('/api/deals?closingBy=2027-04-30')).toEqual([acme]);
      expect(await ids(`/api/deals?accountId=${legacy.accountRef}`)).toEqual([acme]);
      expect(await ids('/api/deals?search=GLOBEX')).toEqual([globex]);
      const first = (await t.api.get('/api/deals?sort=-name&limit=2', { token })).body;
      const second = (await t.api.get(`/api/deals?sort=-name&limit=2&cursor=${first.nextCursor}`, { token })).body;
      expect([...first.items, ...second.items].map((deal: { id: string }) => deal.id)).toEqual([initech, globex, acme]);
      expect(second.nextCursor).toBeNull();
      const deal = await t.api.get(`/api/deals/${initech}`, { token });
      expect(deal.body).toMatchObject({ stage: 'lost', expectedCloseDate: null, accountId: null });
      expect(deal.body).not.toHaveProperty('stageHistory');
    });

    it('creates, changes (the stage too) and deletes a deal in the customer’s table', async () => {
      const created = await t.api.post(
        '/api/deals',
        { name: 'Umbrella expansion', amountMinor: 1_234_567, expectedCloseDate: '2027-09-30', accountId: legacy.accountRef },
        { token },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Umbrella expansion', stage: 'lead', amountMinor: 1_234_567, currency: 'EUR' });
      const id = created.body.id as string;
      expect(await legacy.dealRow(id)).toEqual({ stage: kind === 'mysql' ? 'NEW' : 'Lead', amount: 1_234_567 });

      const moved = await t.api.patch(`/api/deals/${id}`, { stage: 'won', amountMinor: 1_300_000 }, { token });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ id, stage: 'won', amountMinor: 1_300_000, expectedCloseDate: '2027-09-30' });
      expect(await legacy.dealRow(id)).toEqual({ stage: legacy.storedStage.won, amount: 1_300_000 });
      expect((await t.api.get(`/api/deals/${id}`, { token })).body).toMatchObject({ stage: 'won' });

      expect((await t.api.delete(`/api/deals/${id}`, { token })).status).toBe(204);
      expect(await legacy.dealRow(id)).toBeUndefined();
      expect((await t.api.get(`/api/deals/${id}`, { token })).status).toBe(404);
      expect((await t.api.delete(`/api/deals/${id}`, { token })).status).toBe(404);
      const restored = await t.api.post(`/api/deals/${id}/restore`, undefined, { token });
      expect(restored.status).toBe(409);
      expect(restored.body.message).toMatch(/cannot be restored/);
    });

    it('refuses a deal field the mapping leaves out on create and change alike, writing nothing', async () => {
      const before = await legacy.dealCount();
      const [field] = Object.keys(legacy.unmappedDealField);
      const create = await t.api.post('/api/deals', { name: 'Refused', ...legacy.unmappedDealField }, { token });
      const patch = await t.api.patch(`/api/deals/${legacy.deals[1]}`, { name: 'Renamed', ...legacy.unmappedDealField }, { token });
      expect(create.status).toBe(409);
      expect(patch.status).toBe(409);
      expect(create.body.details).toEqual([{ field, problems: ['not mapped'] }]);
      expect(patch.body).toMatchObject({ message: create.body.message, details: create.body.details });
      for (const unmapped of [
        { lineItems: [{ description: 'Licence', quantity: 1, unitPriceMinor: 100 }] },
        { customFields: { region: 'north' } },
      ]) {
        const refused = await t.api.post('/api/deals', { name: 'Refused', ...unmapped }, { token });
        expect(refused.status).toBe(409);
        expect(refused.body.details).toEqual([{ field: Object.keys(unmapped)[0], problems: ['not mapped'] }]);
      }
      expect(await legacy.dealCount()).toBe(before);
      expect((await t.api.get(`/api/deals/${legacy.deals[1]}`, { token })).body.name).toBe('Globex pilot');
    });

    it('lists, filters and reads activities in our fields, types and records translated', async () => {
      const all = (await t.api.get('/api/activities', { token })).body.items as Array<{ id: string; subject: string }>;
      expect(all.map((activity) => activity.subject)).toEqual(['Intro call', 'Send the offer', 'Old follow-up']);
      expect(all[1]).toMatchObject({
        type: 'task',
        relatedType: 'deal',
        relatedId: legacy.deals[0],
        dueAt: '2027-01-15T09:00:00.000Z',
        completed: false,
        completedAt: null,
        ownerUserId: null,
        createdAt: null,
      });
      expect(all[2]).toMatchObject({ type: 'task', relatedType: 'account', completed: true });
      const subjects = async (query: string) =>
        (await t.api.get(`/api/activities?${query}`, { token })).body.items.map((activity: { subject: string }) => activity.subject);
      expect(await subjects('type=call')).toEqual(['Intro call']);
      expect(await subjects(`relatedType=deal&relatedId=${legacy.deals[0]}`)).toEqual(['Intro call', 'Send the offer']);
      expect(await subjects('dueBefore=2026-06-01T00:00:00Z')).toEqual(['Old follow-up']);
      expect(await subjects('search=offer')).toEqual(['Send the offer']);
      expect((await t.api.get(`/api/activities/${all[0].id}`, { token })).body).toMatchObject({ type: 'call', subject: 'Intro call' });
    });

    it('creates, changes, completes once and deletes a task in the customer’s table', async () => {
      const created = await t.api.post(
        '/api/activities',
        { type: 'task', subject: 'Call back', relatedType: 'deal', relatedId: legacy.deals[1], dueAt: '2027-02-01T10:30:00Z' },
        { token },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'task', relatedId: legacy.deals[1], dueAt: '2027-02-01T10:30:00.000Z', completed: false });
      const id = created.body.id as string;

      const changed = await t.api.patch(`/api/activities/${id}`, { subject: 'Call back Globex', dueAt: '2027-02-02T08:00:00Z' }, { token });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ subject: 'Call back Globex', dueAt: '2027-02-02T08:00:00.000Z' });

      const done = await t.api.post(`/api/activities/${id}/complete`, undefined, { token });
      expect(done.status).toBe(200);
      expect(done.body.completed).toBe(true);
      expect(await legacy.taskDone(id)).toBe(true);
      expect((await t.api.post(`/api/activities/${id}/complete`, undefined, { token })).status).toBe(409);
      const call = (await t.api.get('/api/activities?type=call', { token })).body.items[0].id;
      const notATask = await t.api.post(`/api/activities/${call}/complete`, undefined, { token });
      expect(notATask.status).toBe(409);
      expect(notATask.body.message).toMatch(/Only tasks/);

      expect((await t.api.delete(`/api/activities/${id}`, { token })).status).toBe(204);
      expect((await t.api.get(`/api/activities/${id}`, { token })).status).toBe(404);
      expect((await t.api.post(`/api/activities/${id}/restore`, undefined, { token })).status).toBe(409);
    });

    it('refuses an activity field the mapping leaves out on create and change alike, writing nothing', async () => {
      const before = await legacy.activityCount();
      const [field] = Object.keys(legacy.unmappedActivityField);
      const create = await t.api.post(
        '/api/activities',
        { type: 'note', subject: 'Refused', relatedType: 'deal', relatedId: legacy.deals[0], ...legacy.unmappedActivityField },
        { token },
      );
      const first = (await t.api.get('/api/activities', { token })).body.items[0];
      const patch = await t.api.patch(`/api/activities/${first.id}`, { subject: 'Renamed', ...legacy.unmappedActivityField }, { token });
      expect(create.status).toBe(409);
      expect(patch.status).toBe(409);
      expect(create.body.details).toEqual([{ field, problems: ['not mapped'] }]);
      expect(patch.body).toMatchObject({ message: create.body.message, details: create.body.details });
      expect(await legacy.activityCount()).toBe(before);
      expect((await t.api.get(`/api/activities/${first.id}`, { token })).body.subject).toBe(first.subject);
    });

    it('refuses every write of a read-only login with 403 and changes nothing, while serving reads', async () => {
      const readOnly = await byodTenant(legacy.readOnly(), legacy.entities, true);
      const as = { token: readOnly.token };
      const [acme] = legacy.deals;
      expect((await t.api.get('/api/deals', as)).body.items).toHaveLength(await legacy.dealCount());
      expect((await t.api.get(`/api/deals/${acme}`, as)).body.stage).toBe('proposal');
      const writes = [
        await t.api.post('/api/deals', { name: 'Blocked' }, as),
        await t.api.patch(`/api/deals/${acme}`, { stage: 'won' }, as),
        await t.api.delete(`/api/deals/${acme}`, as),
        await t.api.post('/api/activities', { type: 'note', subject: 'Blocked', relatedType: 'deal', relatedId: acme }, as),
      ];
      expect(writes.map((response) => response.status)).toEqual([403, 403, 403, 403]);
      expect((await legacy.dealRow(acme)).stage).toBe(legacy.storedStage.proposal);
    });
  });

  it('keeps a done flag and a completion time apart: only a mapped flag can filter open tasks', async () => {
    const mysql = await byodTenant(LEGACY.mysql.readWrite(), MYSQL_ENTITIES);
    const open = await t.api.get('/api/activities?type=task&completed=false', { token: mysql.token });
    expect(open.status).toBe(200);
    expect(open.body.items.every((activity: { completed: boolean }) => !activity.completed)).toBe(true);
    expect(open.body.items.map((activity: { subject: string }) => activity.subject)).toContain('Send the offer');

    const postgres = await byodTenant(LEGACY.postgres.readWrite(), PG_ENTITIES);
    const refused = await t.api.get('/api/activities?completed=false', { token: postgres.token });
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual([{ field: 'completed', problems: ['not mapped'] }]);
    const old = (await t.api.get('/api/activities?search=Old', { token: postgres.token })).body.items[0];
    expect(old).toMatchObject({ completed: true, completedAt: '2026-01-02T10:00:00.000Z' });
  });

  it('refuses a deal naming a customer the tenant’s own foreign key does not know, naming the field', async () => {
    const { token } = await byodTenant(LEGACY.mysql.readWrite(), MYSQL_ENTITIES);
    const before = await LEGACY.mysql.dealCount();
    const refused = await t.api.post('/api/deals', { name: 'Ghost customer', accountId: '999' }, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual([{ field: 'accountId', problems: [expect.stringMatching(/conflicts/)] }]);
    expect(await LEGACY.mysql.dealCount()).toBe(before);
  });

  it('answers 404 for another tenant’s deal and activity ids, on every placement', async () => {
    const mysql = await byodTenant(LEGACY.mysql.readWrite(), MYSQL_ENTITIES);
    const postgres = await byodTenant(LEGACY.postgres.readWrite(), PG_ENTITIES);
    const pooled = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token: pooled.token });
    await t.api.put('/api/tenant/modules/deals', undefined, { token: pooled.token });
    const pooledDeal = await t.api.post('/api/deals', { name: 'Pooled secret' }, { token: pooled.token });
    expect(pooledDeal.status).toBe(201);
    const pooledActivity = await t.api.post(
      '/api/activities',
      { type: 'note', subject: 'Pooled note', relatedType: 'deal', relatedId: pooledDeal.body.id },
      { token: pooled.token },
    );
    expect(pooledActivity.status).toBe(201);
    const mysqlDeal = (await t.api.post('/api/deals', { name: 'MariaDB secret' }, { token: mysql.token })).body.id;

    for (const [token, id] of [
      [mysql.token, pooledDeal.body.id],
      [postgres.token, pooledDeal.body.id],
      [mysql.token, PG_DEAL_IDS[0]],
      [postgres.token, mysqlDeal],
    ]) {
      expect((await t.api.get(`/api/deals/${id}`, { token })).status).toBe(404);
      expect((await t.api.patch(`/api/deals/${id}`, { name: 'Taken' }, { token })).status).toBe(404);
      expect((await t.api.delete(`/api/deals/${id}`, { token })).status).toBe(404);
    }
    for (const token of [mysql.token, postgres.token]) {
      expect((await t.api.get(`/api/activities/${pooledActivity.body.id}`, { token })).status).toBe(404);
      expect((await t.api.patch(`/api/activities/${pooledActivity.body.id}`, { subject: 'Taken' }, { token })).status).toBe(404);
    }
    expect((await t.api.get(`/api/deals/${pooledDeal.body.id}`, { token: pooled.token })).body.name).toBe('Pooled secret');
    expect((await t.api.get(`/api/activities/${pooledActivity.body.id}`, { token: pooled.token })).body.subject).toBe('Pooled note');
    expect((await t.api.get(`/api/deals/${mysqlDeal}`, { token: mysql.token })).body.name).toBe('MariaDB secret');
  });
});
