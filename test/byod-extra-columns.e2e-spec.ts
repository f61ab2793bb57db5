import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, createTenant, loginAs } from './support/factories';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A customer's own creation and change times, and the extra columns of its tables, served as
 * `createdAt`/`updatedAt` and custom fields of byod accounts: read by the column's type, sorted by,
 * written (custom fields only; the times are the customer's defaults and triggers), and refused
 * exactly — at mapping time and on every write — before anything reaches the customer's table.
 */
const suffix = randomBytes(4).toString('hex');
const legacyName = `byod_extra_${suffix}`;
const RW_ROLE = `byod_extra_rw_${suffix}`;
const PASSWORD = `legacy-extra-${suffix}`;

/** A wholesaler's MariaDB: a DATETIME set on insert, a TIMESTAMP moved on every update, and extra columns of several types. */
const MYSQL_SCHEMA = [
  `CREATE TABLE clients (
    client_no int AUTO_INCREMENT PRIMARY KEY,
    client_name varchar(200) NOT NULL,
    vat_number varchar(12) NULL,
    credit_limit decimal(10,2) NULL,
    headcount int NULL,
    is_vip tinyint(1) NOT NULL DEFAULT 0,
    onboarded_on date NULL,
    last_audit datetime NULL,
    rating double NULL,
    opened datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    touched timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
  )`,
  `INSERT INTO clients VALUES
    (1, 'Acme', 'CHE-100', 50000.00, 120, 1, '2020-01-15', '2026-03-01 10:00:00', 4.5, '2021-05-01 09:00:00', '2021-06-01 09:00:00'),
    (2, 'Globex', NULL, NULL, NULL, 0, NULL, NULL, NULL, '2019-02-01 08:00:00', '2019-02-01 08:00:00'),
    (3, 'Initech', 'CHE-300', 0.50, 7, 0, '2023-07-01', NULL, NULL, '2023-03-01 12:00:00', '2023-03-01 12:00:00')`,
  `CREATE TABLE people (
    person_no int AUTO_INCREMENT PRIMARY KEY,
    given varchar(80) NOT NULL,
    family varchar(80) NOT NULL,
    registered date NOT NULL DEFAULT (curdate()),
    shoe_size smallint NULL
  )`,
  `INSERT INTO people VALUES (1, 'Ada', 'Lovelace', '2020-05-05', 38), (2, 'Alan', 'Turing', '2018-01-01', NULL)`,
];

/** A consultancy's PostgreSQL: German names, a timestamp with microseconds set on insert, a timestamptz a trigger moves. */
const PG_SCHEMA = `
  CREATE TABLE kunden (
    kunden_nr serial PRIMARY KEY,
    firma text NOT NULL,
    ust_id varchar(12),
    kreditlimit numeric(12,2),
    mitarbeiter bigint,
    premium boolean NOT NULL DEFAULT false,
    kunde_seit date,
    letzte_pruefung timestamptz,
    bewertung real,
    angelegt timestamp NOT NULL DEFAULT now(),
    geaendert timestamptz NOT NULL DEFAULT now()
  );
  CREATE FUNCTION kunden_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.geaendert := now(); RETURN NEW; END $$;
  CREATE TRIGGER kunden_geaendert BEFORE UPDATE ON kunden FOR EACH ROW EXECUTE FUNCTION kunden_geaendert();
  INSERT INTO kunden VALUES
    (1, 'Acme', 'CHE-100', 50000.00, 120, true, '2020-01-15', '2026-03-01T10:00:00Z', 4.5, '2021-05-01 09:00:00.123456', '2021-06-01T09:00:00Z'),
    (2, 'Globex', NULL, NULL, NULL, false, NULL, NULL, NULL, '2019-02-01 08:00:00.000001', '2019-02-01T08:00:00Z'),
    (3, 'Initech', 'CHE-300', 0.50, 7, false, '2023-07-01', NULL, NULL, '2023-03-01 12:00:00.999999', '2023-03-01T12:00:00Z');
  SELECT setval('kunden_kunden_nr_seq', 3);
  CREATE TABLE personen (
    personen_nr serial PRIMARY KEY,
    vorname text NOT NULL,
    nachname text NOT NULL,
    erfasst date NOT NULL DEFAULT current_date,
    schuhgroesse smallint
  );
  INSERT INTO personen VALUES (1, 'Ada', 'Lovelace', '2020-05-05', 38), (2, 'Alan', 'Turing', '2018-01-01', NULL);
  SELECT setval('personen_personen_nr_seq', 2);
  CREATE ROLE ${RW_ROLE} LOGIN PASSWORD '${PASSWORD}';
  GRANT SELECT, INSERT, UPDATE, DELETE ON kunden, personen TO ${RW_ROLE};
  GRANT USAGE ON SEQUENCE kunden_kunden_nr_seq, personen_personen_nr_seq TO ${RW_ROLE};`;

const pgConnection = () => {
  const url = new URL(legacyPostgresUrl(legacyName));
  return { host: url.hostname, port: Number(url.port || 5432), database: legacyName, user: RW_ROLE, password: PASSWORD };
};

/** A row of the customer's table in our custom field keys, as its driver gives it. */
interface StoredExtras {
  vat: string | null;
  credit: string | null;
  headcount: number | string | null;
  vip: number | boolean;
  since: string | Date | null;
  audit: string | Date | null;
  created: string | Date;
}

const LEGACY = {
  mysql: {
    source: () => ({ kind: 'mysql', connection: { host: '127.0.0.1', port: 3306, database: legacyName, user: 'root', password: '' } }),
    table: 'clients',
    fields: { id: 'client_no', name: 'client_name', created_at: 'opened', updated_at: 'touched' },
    customFields: {
      vat_id: 'vat_number',
      credit_limit: 'credit_limit',
      headcount: 'headcount',
      vip: 'is_vip',
      onboarded: 'onboarded_on',
      last_audit: 'last_audit',
    },
    otherColumn: 'rating',
    nameColumn: 'client_name',
    /** People with the day they were registered (a DATE the customer's default fills) and a shoe size. */
    contact: {
      table: 'people',
      fields: { id: 'person_no', first_name: 'given', last_name: 'family', created_at: 'registered' },
      customFields: { shoe_size: 'shoe_size' },
    },
    /** Columns without a zone hold the server's local time; the app and this test share it. */
    acmeCreatedAt: new Date('2021-05-01T09:00:00').toISOString(),
    acmeUpdatedAt: new Date('2021-06-01T09:00:00').toISOString(),
    row: async (id: string): Promise<StoredExtras> => {
      const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName, dateStrings: true });
      try {
        const [rows] = await mysql.query(
          `SELECT vat_number AS vat, credit_limit AS credit, headcount, is_vip AS vip, onboarded_on AS since, last_audit AS audit, opened AS created
           FROM clients WHERE client_no = ?`,
          [id],
        );
        return (rows as StoredExtras[])[0];
      } finally {
        await mysql.end();
      }
    },
    count: async () => {
      const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
      try {
        const [rows] = await mysql.query('SELECT count(*) AS n FROM clients');
        return Number((rows as Array<{ n: number }>)[0].n);
      } finally {
        await mysql.end();
      }
    },
  },
  postgres: {
    source: () => ({ kind: 'postgres', connection: pgConnection() }),
    table: 'kunden',
    fields: { id: 'kunden_nr', name: 'firma', created_at: 'angelegt', updated_at: 'geaendert' },
    customFields: {
      vat_id: 'ust_id',
      credit_limit: 'kreditlimit',
      headcount: 'mitarbeiter',
      vip: 'premium',
      onboarded: 'kunde_seit',
      last_audit: 'letzte_pruefung',
    },
    otherColumn: 'bewertung',
    nameColumn: 'firma',
    contact: {
      table: 'personen',
      fields: { id: 'personen_nr', first_name: 'vorname', last_name: 'nachname', created_at: 'erfasst' },
      customFields: { shoe_size: 'schuhgroesse' },
    },
    acmeCreatedAt: new Date('2021-05-01T09:00:00.123').toISOString(),
    acmeUpdatedAt: '2021-06-01T09:00:00.000Z',
    row: async (id: string): Promise<StoredExtras> => {
      const client = new Client({ connectionString: legacyPostgresUrl(legacyName) });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT ust_id AS vat, kreditlimit::text AS credit, mitarbeiter AS headcount, premium AS vip, kunde_seit::text AS since,
             letzte_pruefung AS audit, angelegt AS created FROM kunden WHERE kunden_nr = $1`,
          [id],
        );
        return rows[0] as StoredExtras;
      } finally {
        await client.end();
      }
    },
    count: async () => {
      const client = new Client({ connectionString: legacyPostgresUrl(legacyName) });
      await client.connect();
      try {
        return Number((await client.query('SELECT count(*) AS n FROM kunden')).rows[0].n);
      } finally {
        await client.end();
      }
    },
  },
} as const;

describe('creation times and extra columns of byod tenants', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    for (const statement of MYSQL_SCHEMA) await mysql.query(statement);
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
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${RW_ROLE}`);
  });

  /** A byod tenant on `source`, tested (mappings not yet set); its data-source path. */
  async function testedTenant(source: object) {
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const base = `/control/tenants/${tenant.id}/data-source`;
    expect((await t.api.put(base, { ...source, readOnly: false }, { token: admin })).status).toBe(200);
    expect((await t.api.post(`${base}/test`, undefined, { token: admin })).status).toBe(200);
    return { tenant, base };
  }

  describe.each(['mysql', 'postgres'] as const)('on %s', (kind) => {
    const legacy = LEGACY[kind];
    let token: string;
    let base: string;

    beforeAll(async () => {
      const tested = await testedTenant(legacy.source());
      base = tested.base;
      const account = { table: legacy.table, fields: legacy.fields, customFields: legacy.customFields };
      const entities = { account, contact: legacy.contact };
      expect((await t.api.put(`${base}/mappings`, { entities }, { token: admin })).status).toBe(200);
      expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
      token = (await loginAs(t.api, tested.tenant.admin.email, tested.tenant.admin.password)).accessToken;
    });

    it('answers the customer’s creation and change times and its extra columns, typed by their columns', async () => {
      const acme = await t.api.get('/api/accounts/1', { token });
      expect(acme.status).toBe(200);
      expect(acme.body).toEqual(
        expect.objectContaining({
          id: '1',
          name: 'Acme',
          createdAt: legacy.acmeCreatedAt,
          updatedAt: legacy.acmeUpdatedAt,
          customFields: {
            vat_id: 'CHE-100',
            credit_limit: '50000.00',
            headcount: 120,
            vip: true,
            onboarded: '2020-01-15',
            last_audit: kind === 'mysql' ? new Date('2026-03-01T10:00:00').toISOString() : '2026-03-01T10:00:00.000Z',
          },
        }),
      );
      const globex = (await t.api.get('/api/accounts/2', { token })).body;
      expect(globex.customFields).toEqual({
        vat_id: null,
        credit_limit: null,
        headcount: null,
        vip: false,
        onboarded: null,
        last_audit: null,
      });
    });

    it('sorts and pages by the mapped creation time, both ways, each row once', async () => {
      const ids = async (query: string) =>
        (await t.api.get(`/api/accounts?${query}`, { token })).body.items.map((a: { id: string }) => a.id);
      expect(await ids('sort=createdAt')).toEqual(['2', '1', '3']);
      expect(await ids('sort=-createdAt')).toEqual(['3', '1', '2']);
      // The default order is creation order too.
      expect(await ids('')).toEqual(['2', '1', '3']);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.api.get(
          `/api/accounts?sort=createdAt&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        seen.push(...page.body.items.map((account) => account.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen).toEqual(['2', '1', '3']);
    });

    it('writes custom fields to their columns; the creation time is the customer’s default, never sent', async () => {
      const before = Date.now();
      const created = await t.api.post(
        '/api/accounts',
        {
          name: 'Umbrella',
          customFields: {
            vat_id: 'CHE-900',
            credit_limit: '1234.50',
            headcount: 12,
            vip: true,
            onboarded: '2026-01-02',
            last_audit: '2026-02-03T04:05:06Z',
          },
        },
        { token },
      );
      expect(created.status).toBe(201);
      expect(created.body.customFields).toEqual({
        vat_id: 'CHE-900',
        credit_limit: '1234.50',
        headcount: 12,
        vip: true,
        onboarded: '2026-01-02',
        last_audit: '2026-02-03T04:05:06.000Z',
      });
      // Whole seconds on MariaDB's DATETIME: the default is no earlier than the second the request began.
      expect(Date.parse(created.body.createdAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      const stored = await legacy.row(created.body.id);
      expect(stored).toEqual(expect.objectContaining({ vat: 'CHE-900', credit: '1234.50', since: '2026-01-02' }));
      expect(Number(stored.headcount)).toBe(12);
      expect(Boolean(stored.vip)).toBe(true);
      expect(new Date(stored.audit as string).toISOString()).toBe(
        kind === 'mysql' ? new Date('2026-02-03T04:05:06Z').toISOString() : '2026-02-03T04:05:06.000Z',
      );
    });

    it('changes only the custom fields sent, clears with null, and the customer’s trigger moves the change time', async () => {
      const changed = await t.api.patch('/api/accounts/3', { customFields: { credit_limit: 99.9, vip: true, vat_id: null } }, { token });
      expect(changed.status).toBe(200);
      expect(changed.body.customFields).toEqual({
        vat_id: null,
        credit_limit: '99.90',
        headcount: 7,
        vip: true,
        onboarded: '2023-07-01',
        last_audit: null,
      });
      // Seeded in 2023; the ON UPDATE default (MariaDB) or the trigger (PostgreSQL) set it now.
      expect(Date.parse(changed.body.updatedAt)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
      expect(changed.body.createdAt).toBe(new Date(kind === 'mysql' ? '2023-03-01T12:00:00' : '2023-03-01T12:00:00.999').toISOString());
      expect(await legacy.row('3')).toEqual(expect.objectContaining({ vat: null, credit: '99.90' }));
    });

    it('refuses a custom field key the mapping does not declare, on create and on change alike, writing nothing', async () => {
      const count = await legacy.count();
      const created = await t.api.post('/api/accounts', { name: 'Hooli', customFields: { tax_id: 'X' } }, { token });
      const changed = await t.api.patch('/api/accounts/1', { name: 'Acme renamed', customFields: { tax_id: 'X' } }, { token });
      for (const refused of [created, changed]) {
        expect(refused.status).toBe(409);
        expect(refused.body.details).toEqual([{ field: 'customFields.tax_id', problems: ['not mapped'] }]);
      }
      expect(await legacy.count()).toBe(count);
      expect((await t.api.get('/api/accounts/1', { token })).body.name).toBe('Acme');
    });

    it.each([
      ['headcount', '12', 'must be a whole number'],
      ['credit_limit', '1.234', 'has more than the 2 decimal places column'],
      ['credit_limit', 123456789012, 'has more whole digits than column'],
      ['vat_id', 'CHE-123.456.789', 'cannot be stored: it is 15 characters long and the column holds at most 12'],
      ['vip', 'yes', 'must be true or false'],
      ['onboarded', '15.01.2020', 'must be a date (YYYY-MM-DD)'],
      ['last_audit', 'yesterday', 'must be an ISO 8601 date and time'],
    ])('refuses %s = %j, which its column cannot hold exactly, with a 422 naming it', async (key, value, problem) => {
      const count = await legacy.count();
      for (const refused of [
        await t.api.post('/api/accounts', { name: 'Hooli', customFields: { [key]: value } }, { token }),
        await t.api.patch('/api/accounts/1', { name: 'Acme renamed', customFields: { [key]: value } }, { token }),
      ]) {
        expect(refused.status).toBe(422);
        expect(refused.body.details).toEqual([{ field: `customFields.${key}`, problems: [expect.stringContaining(problem)] }]);
      }
      expect(await legacy.count()).toBe(count);
      expect((await t.api.get('/api/accounts/1', { token })).body.name).toBe('Acme');
    });

    it('serves contacts the same way: a DATE creation time to sort by, custom fields read and written', async () => {
      const listed = (await t.api.get('/api/contacts?sort=createdAt', { token })).body.items;
      expect(listed.map((contact: { id: string }) => contact.id)).toEqual(['2', '1']);
      expect(listed[1]).toEqual(
        expect.objectContaining({
          firstName: 'Ada',
          createdAt: '2020-05-05T00:00:00.000Z',
          updatedAt: null,
          customFields: { shoe_size: 38 },
        }),
      );
      const created = await t.api.post(
        '/api/contacts',
        { firstName: 'Grace', lastName: 'Hopper', customFields: { shoe_size: 37 } },
        { token },
      );
      expect(created.status).toBe(201);
      expect(created.body.customFields).toEqual({ shoe_size: 37 });
      expect(created.body.createdAt).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
      const refused = await t.api.patch(`/api/contacts/${created.body.id}`, { customFields: { shoe_size: 37.5 } }, { token });
      expect(refused.status).toBe(422);
      expect(refused.body.details).toEqual([{ field: 'customFields.shoe_size', problems: ['must be a whole number'] }]);
    });

    it('refuses mappings whose custom fields or creation times cannot be served, naming each path, storing nothing', async () => {
      const { base: fresh } = await testedTenant(legacy.source());
      const refused = await t.api.put(
        `${fresh}/mappings`,
        {
          entities: {
            account: {
              table: legacy.table,
              fields: legacy.fields,
              customFields: {
                'Tax-ID': legacy.customFields.vat_id,
                twice: legacy.nameColumn,
                ghost: 'no_such_column',
                score: legacy.otherColumn,
              },
              validations: { created_at: { required: true } },
            },
            inventory_item: {
              table: legacy.table,
              fields: {
                sku: legacy.customFields.vat_id,
                name: legacy.nameColumn,
                stock_on_hand: legacy.customFields.headcount,
                price_selling_minor: legacy.customFields.credit_limit,
              },
              customFields: { vip: legacy.customFields.vip },
            },
          },
        },
        { token: admin },
      );
      expect(refused.status).toBe(422);
      const fields = (refused.body.details as Array<{ field: string; problems: string[] }>).map((detail) => detail.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'mappings.account.customFields.Tax-ID',
          'mappings.account.customFields.twice',
          'mappings.account.customFields.ghost',
          'mappings.account.customFields.score',
          'mappings.account.validations.created_at',
          'mappings.inventory_item.customFields',
        ]),
      );
      const byField = Object.fromEntries(
        (refused.body.details as Array<{ field: string; problems: string[] }>).map((detail) => [detail.field, detail.problems.join('; ')]),
      );
      expect(byField['mappings.account.customFields.twice']).toBe(`column "${legacy.nameColumn}" is already mapped to fields.name`);
      expect(byField['mappings.account.customFields.ghost']).toBe(`column "no_such_column" does not exist in table "${legacy.table}"`);
      expect(byField['mappings.account.customFields.score']).toMatch(/a custom field needs text, integer, decimal/);
      expect(byField['mappings.inventory_item.customFields']).toBe('inventory_item records have no custom fields');
      expect((await t.api.get(fresh, { token: admin })).body.mappings).toBeNull();
    });
  });
});
