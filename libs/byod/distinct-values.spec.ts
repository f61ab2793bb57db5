import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { distinctValues, MAX_SAMPLED_DISTINCT_VALUES } from './distinct-values';
import { introspectMysql } from './mysql-introspector';
import { Introspection } from './introspection';
import { SqlSource } from './sql-source';

const MYSQL_URL = new URL(process.env.TENANTRY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const database = `byod_distinct_${randomBytes(4).toString('hex')}`;
const settings = {
  host: MYSQL_URL.hostname,
  port: Number(MYSQL_URL.port || 3306),
  database,
  user: decodeURIComponent(MYSQL_URL.username),
  password: decodeURIComponent(MYSQL_URL.password),
};

describe('distinctValues over MariaDB', () => {
  let source: SqlSource;
  let introspection: Introspection;

  beforeAll(async () => {
    const admin = await createConnection({ ...settings, database: undefined });
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(`USE ${database}`);
    await admin.query('CREATE TABLE lots (lot_no int PRIMARY KEY, lot_state varchar(16), serial varchar(16) NOT NULL)');
    const rows = Array.from({ length: 30 }, (_, index) => [index, ['new', 'used', null][index % 3], `S-${index}`]);
    await admin.query('INSERT INTO lots VALUES ?', [rows]);
    await admin.end();
    introspection = await introspectMysql(settings, settings.host, { connectTimeoutMs: 2_000 });
    source = new SqlSource('mysql', settings, {
      address: settings.host,
      connectTimeoutMs: 2_000,
      queryTimeoutMs: 2_000,
      poolSize: 1,
      breakerResetMs: 500,
    });
  });

  afterAll(async () => {
    await source.close();
    const admin = await createConnection({ ...settings, database: undefined });
    await admin.query(`DROP DATABASE ${database}`);
    await admin.end();
  });

  it('answers a column’s few distinct values, sorted, without NULL', async () => {
    expect(await distinctValues(source, introspection, 'lots', 'lot_state')).toEqual(['new', 'used']);
  });

  it(`answers null for a column with more than ${MAX_SAMPLED_DISTINCT_VALUES} distinct values: not a fixed set`, async () => {
    expect(await distinctValues(source, introspection, 'lots', 'serial')).toBeNull();
  });

  it('reads only columns the introspection found', async () => {
    await expect(distinctValues(source, introspection, 'lots', 'lot_state; DROP TABLE lots')).rejects.toThrow(/was not introspected/);
  });
});
