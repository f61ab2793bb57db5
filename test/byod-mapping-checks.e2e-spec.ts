import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, createTenant, loginAs } from './support/factories';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A mapping is accepted only if every value that can flow through it is exact: checked against
 * what each column can hold (ENUM and CHECK lists, PostgreSQL enum labels, lengths, decimal scale
 * and precision), on a MariaDB parts catalog and a PostgreSQL auction-lot table of their own design.
 * Source values outside the value map read as a declared fallback or as `unmapped`, which lists filter by.
 */
const suffix = randomBytes(4).toString('hex');
const legacyName = `byod_chk_${suffix}`;
const PG_WRITER = `byod_chk_w_${suffix}`;
const PG_READER = `byod_chk_r_${suffix}`;
const PG_PASSWORD = `pg-checks-${suffix}`;

const MARIADB_SCHEMA = `CREATE TABLE parts_catalog (
  part_no varchar(24) PRIMARY KEY,
  part_title varchar(60) NOT NULL,
  on_shelf int NOT NULL,
  price_whole decimal(12,0) NOT NULL,
  price_cents decimal(12,2) NOT NULL,
  price_mills decimal(12,3) NOT NULL,
  shelf_state ENUM('on_shelf', 'held', 'gone', 'retired', 'in_transit') NOT NULL,
  grade varchar(12) NOT NULL CHECK (grade IN ('new', 'used', 'demo')),
  short_code varchar(3) NOT NULL
)`;
const MARIADB_ROWS = `INSERT INTO parts_catalog VALUES
  ('P-1', 'Brake pad', 4, 120, 119.99, 119.995, 'on_shelf', 'new', 'BP'),
  ('P-2', 'Oil filter', 0, 15, 14.50, 14.500, 'gone', 'used', 'OF'),
  ('P-3', 'Side mirror', 2, 80, 79.95, 79.950, 'in_transit', 'demo', 'SM')`;

const PG_SCHEMA = `CREATE TYPE lot_state AS ENUM ('listed', 'on_hold', 'sold_out', 'withdrawn', 'in_transit');
  CREATE TABLE lots (
    lot_code varchar(20) PRIMARY KEY,
    lot_name varchar(80) NOT NULL,
    pieces integer NOT NULL,
    hammer_price numeric(6,2) NOT NULL,
    reserve_price numeric(12,3) NOT NULL,
    state lot_state NOT NULL,
    channel text NOT NULL CHECK (channel IN ('web', 'store', 'phone')),
    tag char(2) NOT NULL
  );
  INSERT INTO lots VALUES
    ('L-1', 'Clock', 1, 1250.50, 1000.125, 'listed', 'web', 'CK'),
    ('L-2', 'Vase', 3, 99.99, 50.000, 'in_transit', 'store', 'VS'),
    ('L-3', 'Lamp', 0, 45.00, 40.000, 'sold_out', 'phone', 'LP')`;

/** The parts catalog as an inventory: whole-unit prices, the ENUM state behind a value map. */
const PARTS_MAPPING = {
  table: 'parts_catalog',
  fields: { sku: 'part_no', name: 'part_title', stock_on_hand: 'on_shelf', price_selling_minor: 'price_whole', status: 'shelf_state' },
  valueMaps: { status: { available: 'on_shelf', reserved: 'held', sold: 'gone', archived: 'retired' } },
};
/** The lots as an inventory: a numeric(6,2) price, the enum-typed state behind a value map. */
const LOTS_MAPPING = {
  table: 'lots',
  fields: { sku: 'lot_code', name: 'lot_name', stock_on_hand: 'pieces', price_selling_minor: 'hammer_price', status: 'state' },
  valueMaps: { status: { available: 'listed', reserved: 'on_hold', sold: 'sold_out', archived: 'withdrawn' } },
};

type Problems = Record<string, string>;

describe('byod mappings checked against what each column can hold', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    await mysql.query(MARIADB_SCHEMA);
    await mysql.query(MARIADB_ROWS);
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${legacyName}`);
    await onLegacyPostgres('postgres', `CREATE ROLE ${PG_WRITER} LOGIN PASSWORD '${PG_PASSWORD}'`);
    await onLegacyPostgres('postgres', `CREATE ROLE ${PG_READER} LOGIN PASSWORD '${PG_PASSWORD}'`);
    await onLegacyPostgres(
      legacyName,
      `${PG_SCHEMA}; GRANT SELECT, INSERT, UPDATE, DELETE ON lots TO ${PG_WRITER}; GRANT SELECT ON lots TO ${PG_READER}`,
    );
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', BYOD_CONNECT_TIMEOUT_MS: '1500' } });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${PG_WRITER}`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${PG_READER}`);
  });

  const sources = {
    mariadb: () => ({
      kind: 'mysql',
      connection: { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacyName, user: LEGACY_MYSQL.user, password: '' },
    }),
    postgres: (user: string) => {
      const url = new URL(legacyPostgresUrl(legacyName));
      return {
        kind: 'postgres',
        connection: { host: url.hostname, port: Number(url.port || 5432), database: legacyName, user, password: PG_PASSWORD },
      };
    },
  };

  /** A byod tenant whose source is tested: ready for mappings. Returns its data-source path. */
  async function testedTenant(source: object, readOnly = false) {
    const tenant = await createTenant(t.api, admin, { placement: 'byod', plan: 'professional' });
    const base = `/control/tenants/${tenant.id}/data-source`;
    expect((await t.api.put(base, { ...source, readOnly }, { token: admin })).status).toBe(200);
    const tested = await t.api.post(`${base}/test`, undefined, { token: admin });
    expect(tested.status).toBe(200);
    return { tenant, base, introspection: tested.body.introspection };
  }

  /** A tenant serving `mapping` from `source`: its admin's token. */
  async function servingTenant(source: object, mapping: object, readOnly = false): Promise<string> {
    const { tenant, base } = await testedTenant(source, readOnly);
    const mapped = await t.api.put(`${base}/mappings`, { entities: { inventory_item: mapping } }, { token: admin });
    expect(mapped.body.details).toBeUndefined();
    expect(mapped.status).toBe(200);
    expect((await t.api.post(`${base}/activate`, undefined, { token: admin })).status).toBe(200);
    const token = (await loginAs(t.api, tenant.admin.email, tenant.admin.password)).accessToken;
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    return token;
  }

  /** Puts a mapping that must be refused: its problems by path, after checking nothing was stored. */
  async function refusedMapping(base: string, mapping: object): Promise<Problems> {
    const answer = await t.api.put(`${base}/mappings`, { entities: { inventory_item: mapping } }, { token: admin });
    expect(answer.status).toBe(422);
    expect((await t.api.get(base, { token: admin })).body.mappings).toBeNull();
    return Object.fromEntries(
      answer.body.details.map((detail: { field: string; problems: string[] }) => [detail.field, detail.problems.join('; ')]),
    );
  }

  const statuses = async (token: string, query = '') =>
    (await t.api.get(`/api/inventory/items?sort=sku${query}`, { token })).body.items.map((item: { sku: string; status: string }) => [
      item.sku,
      item.status,
    ]);

  async function mariadbRow(partNo: string): Promise<Record<string, unknown>> {
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
    try {
      const [rows] = await mysql.query('SELECT * FROM parts_catalog WHERE part_no = ?', [partNo]);
      return (rows as Array<Record<string, unknown>>)[0];
    } finally {
      await mysql.end();
    }
  }

  async function lot(code: string): Promise<Record<string, unknown>> {
    const client = new Client({ connectionString: legacyPostgresUrl(legacyName) });
    await client.connect();
    try {
      return (await client.query('SELECT * FROM lots WHERE lot_code = $1', [code])).rows[0];
    } finally {
      await client.end();
    }
  }

  describe('on MariaDB', () => {
    it('introspects ENUM members, CHECK lists, lengths, precision and scale', async () => {
      const { introspection } = await testedTenant(sources.mariadb());
      const columns = Object.fromEntries(introspection.tables[0].columns.map((column: { name: string }) => [column.name, column]));
      expect(columns.shelf_state).toMatchObject({
        type: 'text',
        allowedValues: { from: 'enum', members: ['on_shelf', 'held', 'gone', 'retired', 'in_transit'] },
      });
      expect(columns.grade).toMatchObject({ maxLength: 12, allowedValues: { from: 'check', members: ['new', 'used', 'demo'] } });
      expect(columns.short_code).toMatchObject({ maxLength: 3 });
      expect(columns.short_code.allowedValues).toBeUndefined();
      expect(columns.price_whole).toMatchObject({ type: 'decimal', precision: 12, scale: 0 });
      expect(columns.price_mills).toMatchObject({ type: 'decimal', precision: 12, scale: 3 });
    });

    it('refuses value-map targets outside an ENUM or CHECK or longer than the column, and a missing map onto an ENUM', async () => {
      const { base } = await testedTenant(sources.mariadb());
      const outsideEnum = await refusedMapping(base, {
        ...PARTS_MAPPING,
        valueMaps: { status: { available: 'on_shelf', reserved: 'held', sold: 'gone', archived: 'RETIRED' } },
      });
      expect(outsideEnum['mappings.inventory_item.valueMaps.status']).toBe(
        'maps archived to "RETIRED", which column "shelf_state" cannot hold: it is not one of the values its ENUM allows (on_shelf, held, gone, retired, in_transit)',
      );

      const outsideCheck = await refusedMapping(base, {
        ...PARTS_MAPPING,
        fields: { ...PARTS_MAPPING.fields, status: 'grade' },
        valueMaps: { status: { available: 'new', reserved: 'used', sold: 'demo', archived: 'scrap' } },
      });
      expect(outsideCheck['mappings.inventory_item.valueMaps.status']).toMatch(
        /maps archived to "scrap", .*its CHECK constraint allows \(new, used, demo\)/,
      );

      const tooLong = await refusedMapping(base, {
        ...PARTS_MAPPING,
        fields: { ...PARTS_MAPPING.fields, status: 'short_code' },
        valueMaps: { status: { available: 'AV', reserved: 'RS', sold: 'SD', archived: 'ARCH' } },
      });
      expect(tooLong['mappings.inventory_item.valueMaps.status']).toMatch(
        /maps archived to "ARCH", .*4 characters long and the column holds at most 3/,
      );

      const noMap = await refusedMapping(base, { ...PARTS_MAPPING, valueMaps: undefined });
      expect(noMap['mappings.inventory_item.valueMaps.status']).toMatch(
        /is required when status is mapped: .*column "shelf_state" cannot hold available, reserved, sold, archived as they are/,
      );

      const badFallback = await refusedMapping(base, {
        ...PARTS_MAPPING,
        valueMaps: { status: { ...PARTS_MAPPING.valueMaps.status, '*': 'unmapped' } },
      });
      expect(badFallback['mappings.inventory_item.valueMaps.status']).toMatch(
        /"\*" names the value .* must be one of available, reserved, sold, archived/,
      );
    });

    it('refuses minor units onto a DECIMAL(12,3), whose values could only be answered rounded', async () => {
      const { base } = await testedTenant(sources.mariadb());
      const problems = await refusedMapping(base, {
        ...PARTS_MAPPING,
        fields: { ...PARTS_MAPPING.fields, price_selling_minor: 'price_mills' },
      });
      expect(problems['mappings.inventory_item.fields.price_selling_minor']).toMatch(
        /column "price_mills" is decimal\(12,3\): its 3 decimal places can hold values this field counts whole hundredths \(minor units\) cannot express without rounding/,
      );
    });

    it('reads a DECIMAL(12,2) price exactly to the cent', async () => {
      const token = await servingTenant(sources.mariadb(), {
        ...PARTS_MAPPING,
        fields: { ...PARTS_MAPPING.fields, price_selling_minor: 'price_cents' },
      });
      const items = (await t.api.get('/api/inventory/items?sort=sku', { token })).body.items;
      expect(items.map((item: { priceSellingMinor: number }) => item.priceSellingMinor)).toEqual([11_999, 1_450, 7_995]);
    });

    it('serves a DECIMAL(12,0) price exactly and refuses, unwritten, a price with cents it would round', async () => {
      const token = await servingTenant(sources.mariadb(), PARTS_MAPPING);
      expect((await t.api.get('/api/inventory/items/P-1', { token })).body.priceSellingMinor).toBe(12_000);

      const withCents = await t.api.patch('/api/inventory/items/P-1', { priceSellingMinor: 12_345 }, { token });
      expect(withCents.status).toBe(422);
      expect(withCents.body.details).toEqual([
        {
          field: 'priceSellingMinor',
          problems: [expect.stringMatching(/decimal\(12,0\), which keeps 0 decimal places; send a multiple of 100/)],
        },
      ]);
      expect(String((await mariadbRow('P-1')).price_whole)).toBe('120');
      const created = await t.api.post('/api/inventory/items', { sku: 'P-9', name: 'Wiper', priceSellingMinor: 995 }, { token });
      expect(created.status).toBe(422);
      expect(await mariadbRow('P-9')).toBeUndefined();

      const whole = await t.api.patch('/api/inventory/items/P-1', { priceSellingMinor: 12_300 }, { token });
      expect(whole.status).toBe(200);
      expect(whole.body.priceSellingMinor).toBe(12_300);
      expect(String((await mariadbRow('P-1')).price_whole)).toBe('123');
    });

    it('reads a state outside the value map as unmapped, filters by it and never writes it', async () => {
      const token = await servingTenant(sources.mariadb(), PARTS_MAPPING);
      expect(await statuses(token)).toEqual([
        ['P-1', 'available'],
        ['P-2', 'sold'],
        ['P-3', 'unmapped'],
      ]);
      expect(await statuses(token, '&status=unmapped')).toEqual([['P-3', 'unmapped']]);
      expect(await statuses(token, '&status=sold')).toEqual([['P-2', 'sold']]);

      const written = await t.api.patch('/api/inventory/items/P-3', { status: 'unmapped' }, { token });
      expect(written.status).toBe(400);
      expect(written.body.details).toEqual([{ field: 'status', problems: [expect.any(String)] }]);
      expect((await mariadbRow('P-3')).shelf_state).toBe('in_transit');
    });

    it('reads a state outside the value map as the declared fallback, and finds it under that value', async () => {
      const token = await servingTenant(sources.mariadb(), {
        ...PARTS_MAPPING,
        valueMaps: { status: { ...PARTS_MAPPING.valueMaps.status, '*': 'archived' } },
      });
      expect(await statuses(token)).toEqual([
        ['P-1', 'available'],
        ['P-2', 'sold'],
        ['P-3', 'archived'],
      ]);
      expect(await statuses(token, '&status=archived')).toEqual([['P-3', 'archived']]);
      expect(await statuses(token, '&status=unmapped')).toEqual([]);
    });
  });

  describe('on PostgreSQL', () => {
    it('introspects an enum type’s labels, a CHECK list, a char length and numeric scales, as a read-only login', async () => {
      const { introspection } = await testedTenant(sources.postgres(PG_READER), true);
      const columns = Object.fromEntries(introspection.tables[0].columns.map((column: { name: string }) => [column.name, column]));
      expect(columns.state).toMatchObject({
        type: 'text',
        rawType: 'lot_state',
        allowedValues: { from: 'enum', members: ['listed', 'on_hold', 'sold_out', 'withdrawn', 'in_transit'] },
      });
      expect(columns.channel).toMatchObject({ allowedValues: { from: 'check', members: ['web', 'store', 'phone'] } });
      expect(columns.tag).toMatchObject({ maxLength: 2 });
      expect(columns.hammer_price).toMatchObject({ precision: 6, scale: 2 });
      expect(columns.reserve_price).toMatchObject({ precision: 12, scale: 3 });
    });

    it('refuses a target outside the enum type and a numeric(12,3) price', async () => {
      const { base } = await testedTenant(sources.postgres(PG_READER), true);
      const problems = await refusedMapping(base, {
        ...LOTS_MAPPING,
        fields: { ...LOTS_MAPPING.fields, price_selling_minor: 'reserve_price' },
        valueMaps: { status: { ...LOTS_MAPPING.valueMaps.status, archived: 'archived' } },
      });
      expect(problems['mappings.inventory_item.valueMaps.status']).toMatch(
        /maps archived to "archived", .*its ENUM allows \(listed, on_hold/,
      );
      expect(problems['mappings.inventory_item.fields.price_selling_minor']).toMatch(/"reserve_price" is numeric\(12,3\)/);
    });

    it('serves a read-only login: unmapped states read and filter on the enum column, writes are 403', async () => {
      const token = await servingTenant(sources.postgres(PG_READER), LOTS_MAPPING, true);
      expect(await statuses(token)).toEqual([
        ['L-1', 'available'],
        ['L-2', 'unmapped'],
        ['L-3', 'sold'],
      ]);
      expect(await statuses(token, '&status=unmapped')).toEqual([['L-2', 'unmapped']]);
      expect((await t.api.get('/api/inventory/items/L-1', { token })).body.priceSellingMinor).toBe(125_050);
      expect((await t.api.patch('/api/inventory/items/L-1', { name: 'Mantel clock' }, { token })).status).toBe(403);
    });

    it('refuses, unwritten, a price beyond numeric(6,2) and writes mapped states into the enum column', async () => {
      const token = await servingTenant(sources.postgres(PG_WRITER), LOTS_MAPPING);
      const tooLarge = await t.api.patch('/api/inventory/items/L-1', { priceSellingMinor: 10_000_000 }, { token });
      expect(tooLarge.status).toBe(422);
      expect(tooLarge.body.details).toEqual([
        {
          field: 'priceSellingMinor',
          problems: [expect.stringMatching(/too large for the tenant's column \(numeric\(6,2\)\), which holds at most 4 digits/)],
        },
      ]);
      expect((await lot('L-1')).hammer_price).toBe('1250.50');

      const largest = await t.api.patch('/api/inventory/items/L-1', { priceSellingMinor: 999_999 }, { token });
      expect(largest.status).toBe(200);
      expect((await lot('L-1')).hammer_price).toBe('9999.99');
      const archived = await t.api.patch('/api/inventory/items/L-1', { status: 'archived' }, { token });
      expect(archived.status).toBe(200);
      expect(archived.body.status).toBe('archived');
      expect((await lot('L-1')).state).toBe('withdrawn');
      expect((await t.api.get('/api/inventory/items', { token })).status).toBe(200);
    });
  });
});
