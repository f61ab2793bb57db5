import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startTcpRelay } from '../../test/support/tcp-relay';
import { SqlConnectionSettings, SqlDialect } from './connection-settings';
import { DataSourceUnreachableError, SourceDataError } from './data-source-error';
import { introspectMysql } from './mysql-introspector';
import { introspectPostgres } from './postgres-introspector';
import { FieldCodec, sourceText, UnmappedFieldError } from './mapped-collection';
import { MappedTable } from './mapped-table';
import { EntityMapping } from './mapping-validation';
import { SqlSource } from './sql-source';
import { ValidatedCollection } from './validated-collection';

const MYSQL_URL = new URL(process.env.TENANTRY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const POSTGRES_URL = new URL(process.env.TENANTRY_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const OPTIONS = { connectTimeoutMs: 2_000, queryTimeoutMs: 2_000, poolSize: 2, breakerResetMs: 500 };

/** A legacy dealership table with its own names and a decimal price in major units. */
const LEGACY_TABLE = `CREATE TABLE vehicles (
  vehicle_id varchar(32) PRIMARY KEY,
  model_name varchar(100) NOT NULL,
  vehicle_inventory_count integer NOT NULL,
  current_sale_price decimal(12,2) NOT NULL,
  vehicle_status varchar(16) NOT NULL
)`;

const MAPPING: EntityMapping = {
  table: 'vehicles',
  fields: {
    sku: 'vehicle_id',
    name: 'model_name',
    stock_on_hand: 'vehicle_inventory_count',
    price_selling_minor: 'current_sale_price',
    status: 'vehicle_status',
  },
  valueMaps: { status: { available: 'IN_STOCK', reserved: 'HOLD', sold: 'SOLD', archived: 'RETIRED' } },
};

/** Minor units ↔ a decimal string in major units, exactly. */
const decimalMinorUnits: FieldCodec = {
  toSource: (value) => (typeof value === 'number' ? (value / 100).toFixed(2) : value),
  fromSource: (value) => (value === null || value === undefined ? value : Math.round(Number(sourceText(value).replace('.', '')))),
};

interface LegacyDatabase {
  settings: SqlConnectionSettings;
  sql(text: string): Promise<void>;
  drop(): Promise<void>;
}

async function legacyMysql(): Promise<LegacyDatabase> {
  const database = `byod_spec_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({
    host: MYSQL_URL.hostname,
    port: Number(MYSQL_URL.port || 3306),
    user: decodeURIComponent(MYSQL_URL.username),
    password: decodeURIComponent(MYSQL_URL.password),
  });
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.query(`USE ${database}`);
  return {
    settings: {
      host: MYSQL_URL.hostname,
      port: Number(MYSQL_URL.port || 3306),
      database,
      user: decodeURIComponent(MYSQL_URL.username),
      password: decodeURIComponent(MYSQL_URL.password),
    },
    sql: async (text) => void (await admin.query(text)),
    drop: async () => {
      await admin.query(`DROP DATABASE ${database}`);
      await admin.end();
    },
  };
}

async function legacyPostgres(): Promise<LegacyDatabase> {
  const database = `byod_spec_${randomBytes(4).toString('hex')}`;
  const server = new Client({ connectionString: POSTGRES_URL.toString() });
  await server.connect();
  await server.query(`CREATE DATABASE ${database}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    settings: {
      host: url.hostname,
      port: Number(url.port || 5432),
      database,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    sql: async (text) => void (await client.query(text)),
    drop: async () => {
      await client.end();
      await server.query(`DROP DATABASE ${database} WITH (FORCE)`);
      await server.end();
    },
  };
}

describe.each([
  ['mysql', legacyMysql],
  ['postgres', legacyPostgres],
] as Array<[SqlDialect, () => Promise<LegacyDatabase>]>)('MappedTable over %s', (dialect, create) => {
  let legacy: LegacyDatabase;
  let source: SqlSource;
  let vehicles: MappedTable;

  beforeAll(async () => {
    legacy = await create();
    await legacy.sql(LEGACY_TABLE);
    await legacy.sql(
      `INSERT INTO vehicles VALUES ('VH-1', 'Roadster', 2, 24990.00, 'IN_STOCK'), ('VH-2', 'Van', 0, 31500.50, 'SOLD'), ('VH-3', 'Coupe 50%_off', 5, 18000.00, 'HOLD')`,
    );
    const introspect = dialect === 'mysql' ? introspectMysql : introspectPostgres;
    const introspection = await introspect(legacy.settings, legacy.settings.host, { connectTimeoutMs: 2_000 });
    source = new SqlSource(dialect, legacy.settings, { ...OPTIONS, address: legacy.settings.host });
    vehicles = new MappedTable(source, introspection, MAPPING, 'sku', { price_selling_minor: decimalMinorUnits });
  });
  afterAll(async () => {
    await source.close();
    await legacy.drop();
  });

  it('reads rows in our fields, translating values and decimals exactly', async () => {
    expect(await vehicles.get('VH-2')).toEqual({
      sku: 'VH-2',
      name: 'Van',
      stock_on_hand: 0,
      price_selling_minor: 3_150_050,
      status: 'sold',
    });
    expect(await vehicles.get('nope')).toBeNull();
  });

  it('filters, searches literally, sorts and continues after a position', async () => {
    const page = (request: Partial<Parameters<MappedTable['list']>[0]>) =>
      vehicles
        .list({ conditions: [], sort: { field: 'sku', direction: 'ASC' }, limit: 10, ...request })
        .then((rows) => rows.map((row) => row.record.sku));
    expect(await page({ conditions: [{ field: 'status', op: '=', value: 'available' }] })).toEqual(['VH-1']);
    expect(await page({ conditions: [{ field: 'price_selling_minor', op: '>=', value: 2_000_000 }] })).toEqual(['VH-1', 'VH-2']);
    expect(await page({ conditions: [{ fields: ['name', 'sku'], op: 'contains', value: '50%_' }] })).toEqual(['VH-3']);
    expect(await page({ conditions: [{ fields: ['name'], op: 'contains', value: 'ROAD' }] })).toEqual(['VH-1']);
    const [first] = await vehicles.list({ conditions: [], sort: { field: 'price_selling_minor', direction: 'DESC' }, limit: 1 });
    expect(first.record.sku).toBe('VH-2');
    expect(await page({ sort: { field: 'price_selling_minor', direction: 'DESC' }, after: first.position })).toEqual(['VH-1', 'VH-3']);
  });

  it('inserts, updates and deletes through the mapping, values as parameters', async () => {
    const created = await vehicles.insert({
      sku: "VH-9'; DROP TABLE vehicles; --",
      name: 'Pickup',
      stock_on_hand: 1,
      price_selling_minor: 1_234_567,
      status: 'reserved',
    });
    expect(created).toMatchObject({ price_selling_minor: 1_234_567, status: 'reserved' });
    expect(await vehicles.update("VH-9'; DROP TABLE vehicles; --", { name: 'Pickup XL', status: 'archived' })).toMatchObject({
      name: 'Pickup XL',
      status: 'archived',
    });
    expect(await vehicles.update('missing', { name: 'x' })).toBeNull();
    expect(await vehicles.delete("VH-9'; DROP TABLE vehicles; --")).toBe("VH-9'; DROP TABLE vehicles; --");
    expect(await vehicles.delete("VH-9'; DROP TABLE vehicles; --")).toBeNull();
    await expect(
      vehicles.insert({ sku: 'VH-1', name: 'Duplicate', stock_on_hand: 1, price_selling_minor: 1, status: 'available' }),
    ).rejects.toMatchObject({ name: 'SourceRefusedValueError', kind: 'conflict', field: 'sku' });
  });

  it('never takes a counter below its floor, even with concurrent changes', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => vehicles.increment('VH-3', { field: 'stock_on_hand', delta: -1, floor: 0 })),
    );
    expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(5);
    expect((await vehicles.get('VH-3'))!.stock_on_hand).toBe(0);
  });

  it('sets the fields following a counter in the same statement, through the value map, so concurrent changes leave them agreeing', async () => {
    await vehicles.insert({ sku: 'VH-F', name: 'Hatchback', stock_on_hand: 2, price_selling_minor: 100, status: 'reserved' });
    const sale = {
      field: 'stock_on_hand',
      delta: -1,
      floor: 0,
      following: [
        {
          field: 'status',
          cases: [
            { when: { op: '>' as const, value: 0 }, value: 'available' },
            { when: { op: '<=' as const, value: 0 }, value: 'sold' },
          ],
        },
      ],
    };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => vehicles.increment('VH-F', sale)));
    expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(2);
    expect(await vehicles.get('VH-F')).toMatchObject({ stock_on_hand: 0, status: 'sold' });

    const receipt = { ...sale, delta: 3, following: [{ field: 'status', cases: [sale.following[0].cases[0]] }] };
    expect(await vehicles.increment('VH-F', receipt)).toMatchObject({ stock_on_hand: 3, status: 'available' });
    const onlyWhenEmptied = { ...sale, delta: -1, following: [{ field: 'status', cases: [sale.following[0].cases[1]] }] };
    await vehicles.update('VH-F', { status: 'reserved' });
    expect(await vehicles.increment('VH-F', onlyWhenEmptied)).toMatchObject({ stock_on_hand: 2, status: 'reserved' });
  });

  it('checks every value a following field may take against the tenant’s rules before changing anything', async () => {
    const ruled = new ValidatedCollection(vehicles, { status: { oneOf: ['available', 'archived'] } });
    const sale = {
      field: 'stock_on_hand',
      delta: -1,
      floor: 0,
      following: [{ field: 'status', cases: [{ when: { op: '<=' as const, value: 0 }, value: 'sold' }] }],
    };
    const before = await vehicles.get('VH-1');
    await expect(ruled.increment('VH-1', sale)).rejects.toMatchObject({
      name: 'RuleViolationError',
      violations: [{ field: 'status', problems: [expect.any(String)] }],
    });
    expect(await vehicles.get('VH-1')).toEqual(before);
  });

  it('refuses a counter change to a record that reads as `unless`, changing nothing', async () => {
    await vehicles.insert({ sku: 'VH-R', name: 'Retired bus', stock_on_hand: 4, price_selling_minor: 100, status: 'archived' });
    const change = {
      field: 'stock_on_hand',
      delta: -1,
      floor: 0,
      following: [{ field: 'status', cases: [{ when: { op: '>=' as const, value: 0 }, value: 'available' }] }],
      unless: { field: 'status', value: 'archived' },
    };
    expect(await vehicles.increment('VH-R', change)).toBeNull();
    expect(await vehicles.get('VH-R')).toMatchObject({ stock_on_hand: 4, status: 'archived' });
    expect(await vehicles.increment('VH-1', change)).toMatchObject({ stock_on_hand: 1, status: 'available' });
  });

  it('lets the customer’s table generate the key of an inserted record', async () => {
    const serial = dialect === 'mysql' ? 'int AUTO_INCREMENT PRIMARY KEY' : 'serial PRIMARY KEY';
    await legacy.sql(`CREATE TABLE people (person_no ${serial}, given_name varchar(50) NOT NULL)`);
    const introspect = dialect === 'mysql' ? introspectMysql : introspectPostgres;
    const people = new MappedTable(
      source,
      await introspect(legacy.settings, legacy.settings.host, { connectTimeoutMs: 2_000 }),
      { table: 'people', fields: { id: 'person_no', first_name: 'given_name' } },
      'id',
    );
    expect(await people.insert({ first_name: 'Ada' })).toEqual({ id: 1, first_name: 'Ada' });
    expect(await people.insert({ first_name: 'Grace' })).toEqual({ id: 2, first_name: 'Grace' });
  });

  it('says so when a key made by a column default cannot be read back (MySQL reports AUTO_INCREMENT keys only)', async () => {
    const key = dialect === 'mysql' ? 'varchar(36) PRIMARY KEY DEFAULT (uuid())' : 'uuid PRIMARY KEY DEFAULT gen_random_uuid()';
    await legacy.sql(`CREATE TABLE badges (badge_id ${key}, label varchar(50) NOT NULL)`);
    const introspect = dialect === 'mysql' ? introspectMysql : introspectPostgres;
    const badges = new MappedTable(
      source,
      await introspect(legacy.settings, legacy.settings.host, { connectTimeoutMs: 2_000 }),
      { table: 'badges', fields: { id: 'badge_id', name: 'label' } },
      'id',
    );
    const inserted = badges.insert({ name: 'Gold' });
    if (dialect === 'mysql')
      await expect(inserted).rejects.toThrow(
        new SourceDataError(
          'the record was stored, but its key is not AUTO_INCREMENT and cannot be read back; send id when creating in this table',
        ),
      );
    else expect(await inserted).toEqual({ id: expect.any(String), name: 'Gold' });
  });

  it('refuses a field the mapping leaves out', async () => {
    await expect(
      vehicles.list({ conditions: [{ field: 'reserved', op: '=', value: 1 }], sort: { field: 'sku', direction: 'ASC' }, limit: 1 }),
    ).rejects.toBeInstanceOf(UnmappedFieldError);
  });
});

describe('SqlSource when the database goes down', () => {
  it('fails fast, pauses calls after repeated failures, and recovers by itself once the database is back', async () => {
    const relay = await startTcpRelay(MYSQL_URL.hostname, Number(MYSQL_URL.port || 3306));
    const settings = {
      host: '127.0.0.1',
      port: relay.port,
      database: MYSQL_URL.pathname.slice(1),
      user: decodeURIComponent(MYSQL_URL.username),
      password: decodeURIComponent(MYSQL_URL.password),
    };
    const source = new SqlSource('mysql', settings, { ...OPTIONS, address: settings.host });
    expect(await source.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);

    await relay.down();
    const started = Date.now();
    for (let i = 0; i < 4; i += 1) {
      const error = await source.query('SELECT 1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DataSourceUnreachableError);
    }
    expect(source.available).toBe(false);
    expect(Date.now() - started).toBeLessThan(OPTIONS.connectTimeoutMs * 4);

    await relay.up();
    await new Promise((resolve) => setTimeout(resolve, OPTIONS.breakerResetMs + 100));
    expect(await source.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(source.available).toBe(true);
    await source.close();
    await relay.down();
  });

  it('never puts the password in its errors', async () => {
    const source = new SqlSource(
      'postgres',
      {
        host: '127.0.0.1',
        port: Number(POSTGRES_URL.port || 5432),
        database: 'postgres',
        user: 'no_such_user',
        password: 'super-secret-password',
      },
      { ...OPTIONS, address: '127.0.0.1' },
    );
    const error = await source.query('SELECT 1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataSourceUnreachableError);
    expect((error as Error).message).not.toContain('super-secret-password');
    await source.close();
  });
});
