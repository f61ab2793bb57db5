import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { queryPrepared } from './prepared-statement';
import { createScratchDatabase, ScratchDatabase } from './testing/scratch-database';

/** Named statements on real PostgreSQL: prepared once per connection, the tenant bound for one statement only, errors as TypeORM's. */
let database: ScratchDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('prepared_spec');
  // One connection: a connection borrowed and not given back would make the next call hang.
  dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)');
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

const SELECT_LABELS = 'SELECT label FROM items WHERE label LIKE $1 ORDER BY id';

const boundTenant = async () => (await dataSource.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t"))[0].t;

describe('queryPrepared', () => {
  it('prepares a text once per connection and reuses it with other values', async () => {
    await dataSource.query("INSERT INTO items (label) VALUES ('apple'), ('avocado'), ('banana')");

    const first = await queryPrepared<{ label: string }>(dataSource, SELECT_LABELS, ['a%']);
    const second = await queryPrepared<{ label: string }>(dataSource, SELECT_LABELS, ['b%']);
    const prepared = await queryPrepared<{ count: string }>(
      dataSource,
      'SELECT count(*) AS count FROM pg_prepared_statements WHERE statement = $1',
      [SELECT_LABELS],
    );

    expect(first.map((row) => row.label)).toEqual(['apple', 'avocado']);
    expect(second.map((row) => row.label)).toEqual(['banana']);
    expect(prepared[0].count).toBe('1');
  });

  it('binds the tenant for the statement alone: the next user of the connection finds no binding', async () => {
    const tenantId = randomUUID();
    // set_config(…, true) lasts until its transaction ends: seeing it here means both ran in one.
    const rows = await queryPrepared<{ t: string }>(dataSource, "SELECT current_setting('app.tenant_id') AS t WHERE $1::int > 0", [1], {
      bindTenant: tenantId,
    });

    expect(rows).toEqual([{ t: tenantId }]);
    expect(await boundTenant()).toBe('');
  });

  it('sends the statement unnamed when asked (behind a transaction pooler): nothing stays prepared on the connection', async () => {
    const text = 'SELECT label FROM items WHERE label LIKE $1 AND $2::int > 0 ORDER BY id';
    const rows = await queryPrepared<{ label: string }>(dataSource, text, ['b%', 1], { named: false, bindTenant: randomUUID() });
    const prepared = await queryPrepared<{ count: string }>(
      dataSource,
      'SELECT count(*) AS count FROM pg_prepared_statements WHERE statement = $1',
      [text],
      { named: false },
    );

    expect(rows.map((row) => row.label)).toEqual(['banana']);
    expect(prepared[0].count).toBe('0');
  });

  it('sets settings with the tenant for the statement alone', async () => {
    const tenantId = randomUUID();
    const rows = await queryPrepared<{ t: string; timeout: string }>(
      dataSource,
      "SELECT current_setting('app.tenant_id') AS t, current_setting('lock_timeout') AS timeout WHERE $1::int > 0",
      [1],
      { bindTenant: tenantId, settings: { lock_timeout: '1234ms' }, named: false },
    );

    expect(rows).toEqual([{ t: tenantId, timeout: '1234ms' }]);
    expect((await dataSource.query("SELECT current_setting('lock_timeout') AS timeout"))[0].timeout).not.toBe('1234ms');
  });

  it('ends the binding with a statement that fails, and leaves the connection usable', async () => {
    const failure = await queryPrepared(dataSource, 'SELECT $1::uuid AS id', ['not-a-uuid'], { bindTenant: randomUUID() }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(await boundTenant()).toBe('');
    expect(await queryPrepared(dataSource, 'SELECT $1::int AS one', [1], { bindTenant: randomUUID() })).toEqual([{ one: 1 }]);
  });

  it('refuses to bind a tenant id that is not a UUID', async () => {
    await expect(
      queryPrepared(dataSource, 'SELECT $1::int AS one', [1], { bindTenant: "x', true); DROP TABLE items; --" }),
    ).rejects.toThrow(/UUID/);
    expect(await queryPrepared(dataSource, 'SELECT count(*)::int AS n FROM items WHERE $1::int > 0', [1])).toHaveLength(1);
  });

  it('reports a failed statement as a QueryFailedError with PostgreSQL’s code, and gives the connection back', async () => {
    const failure = await queryPrepared(dataSource, 'SELECT $1::uuid AS id', ['not-a-uuid']).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22P02');
    expect(await queryPrepared(dataSource, 'SELECT $1::int AS one', [1])).toEqual([{ one: 1 }]);
  });
});
