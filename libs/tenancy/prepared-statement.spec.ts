import { randomBytes, randomUUID } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { queryPrepared } from './prepared-statement';
import { inTenantTransaction } from './tenant-transaction';

/** Named statements on real PostgreSQL: prepared once per connection, on the right connection, errors as TypeORM's. */
const adminUrl = process.env.TENANTRY_TEST_ADMIN_URL ?? '';
const databaseName = `prepared_spec_${randomBytes(4).toString('hex')}`;
let admin: Client;
let dataSource: DataSource;

beforeAll(async () => {
  admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${escapeIdentifier(databaseName)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  // One connection: a connection borrowed and not given back would make the next call hang.
  dataSource = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)');
});

afterAll(async () => {
  await dataSource?.destroy();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(databaseName)} WITH (FORCE)`);
  await admin.end();
});

const SELECT_LABELS = 'SELECT label FROM items WHERE label LIKE $1 ORDER BY id';

describe('queryPrepared', () => {
  it('prepares a text once per connection and reuses it with other values', async () => {
    await dataSource.query("INSERT INTO items (label) VALUES ('apple'), ('avocado'), ('banana')");

    const first = await queryPrepared<{ label: string }>(dataSource.manager, SELECT_LABELS, ['a%']);
    const second = await queryPrepared<{ label: string }>(dataSource.manager, SELECT_LABELS, ['b%']);
    const prepared = await queryPrepared<{ count: string }>(dataSource.manager, 'SELECT count(*) AS count FROM pg_prepared_statements WHERE statement = $1', [SELECT_LABELS]);

    expect(first.map((row) => row.label)).toEqual(['apple', 'avocado']);
    expect(second.map((row) => row.label)).toEqual(['banana']);
    expect(prepared[0].count).toBe('1');
  });

  it('runs inside the caller’s transaction, seeing its uncommitted rows and rolled back with it', async () => {
    const label = `tx-${randomUUID()}`;
    let seen: unknown[] = [];
    const rolledBack = new Error('roll back');
    await expect(
      inTenantTransaction(dataSource, randomUUID(), async (runner) => {
        await runner.query('INSERT INTO items (label) VALUES ($1)', [label]);
        seen = await queryPrepared(runner.manager, SELECT_LABELS, [label]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);

    expect(seen).toEqual([{ label }]);
    expect(await queryPrepared(dataSource.manager, SELECT_LABELS, [label])).toEqual([]);
  });

  it('reports a failed statement as a QueryFailedError with PostgreSQL’s code, and gives the connection back', async () => {
    const failure = await queryPrepared(dataSource.manager, 'SELECT $1::uuid AS id', ['not-a-uuid']).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22P02');
    expect(await queryPrepared(dataSource.manager, 'SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
  });
});
