import { randomUUID } from 'node:crypto';
import { DataSource, EntitySchema } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from './testing/scratch-database';
import { inTenantTransaction } from './tenant-transaction';

/** Holds TypeORM to the query-runner state inTenantTransaction relies on (real PostgreSQL). */
interface Item {
  id: number;
  label: string;
  tenantId: string;
}

const ItemSchema = new EntitySchema<Item>({
  name: 'Item',
  tableName: 'items',
  columns: {
    id: { type: Number, primary: true, generated: true },
    label: { type: String },
    tenantId: { type: String, name: 'tenant_id', insert: false, update: false },
  },
});

let database: ScratchDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('tx_spec');
  // One connection, so every transaction reuses the connection of the one before it.
  dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [ItemSchema], extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.query(
    "CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL, tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id'))",
  );
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

beforeEach(() => dataSource.query('TRUNCATE items'));

const labels = async () => (await dataSource.getRepository(ItemSchema).find({ order: { id: 'ASC' } })).map((item) => item.label);

describe('inTenantTransaction', () => {
  it('binds the tenant for the transaction only, never for the next user of the connection', async () => {
    const tenantId = randomUUID();
    const inside = await inTenantTransaction(dataSource, tenantId, (runner) =>
      runner.query("SELECT current_setting('app.tenant_id') AS t"),
    );
    const after = await dataSource.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t");

    expect(inside[0].t).toBe(tenantId);
    expect(after[0].t).toBe('');
  });

  it('sets the given settings for the transaction only, as behind a transaction pooler', async () => {
    const inside = await inTenantTransaction(
      dataSource,
      randomUUID(),
      (runner) => runner.query("SELECT current_setting('lock_timeout') AS v"),
      {
        settings: { lock_timeout: '4321ms' },
      },
    );
    const after = await dataSource.query("SELECT current_setting('lock_timeout') AS v");

    expect(inside[0].v).toBe('4321ms');
    expect(after[0].v).not.toBe('4321ms');
  });

  it('commits what save() wrote inside it, bound to the tenant', async () => {
    const tenantId = randomUUID();
    await inTenantTransaction(dataSource, tenantId, (runner) => runner.manager.getRepository(ItemSchema).save({ label: 'kept' }));

    const rows = await dataSource.query('SELECT label, tenant_id FROM items');
    expect(rows).toEqual([{ label: 'kept', tenant_id: tenantId }]);
  });

  it('rolls back every write, save() included, when the work throws', async () => {
    const failing = inTenantTransaction(dataSource, randomUUID(), async (runner) => {
      await runner.manager.getRepository(ItemSchema).save({ label: 'first' });
      await runner.manager.getRepository(ItemSchema).save({ label: 'second' });
      throw new Error('work failed');
    });

    await expect(failing).rejects.toThrow('work failed');
    expect(await labels()).toEqual([]);
  });

  it('runs a nested transaction as a savepoint: its failure undoes only its own writes', async () => {
    await inTenantTransaction(dataSource, randomUUID(), async (runner) => {
      await runner.manager.getRepository(ItemSchema).save({ label: 'outer' });
      await runner.manager
        .transaction(async (nested) => {
          await nested.getRepository(ItemSchema).save({ label: 'inner' });
          throw new Error('inner failed');
        })
        .catch(() => undefined);
      expect(runner.isTransactionActive).toBe(true);
    });

    expect(await labels()).toEqual(['outer']);
  });

  it('leaves the connection usable after a failed statement rolled the transaction back', async () => {
    const failing = inTenantTransaction(dataSource, randomUUID(), (runner) => runner.query('SELECT * FROM no_such_table'));
    await expect(failing).rejects.toThrow(/no_such_table/);

    await inTenantTransaction(dataSource, randomUUID(), (runner) => runner.manager.getRepository(ItemSchema).save({ label: 'after' }));
    expect(await labels()).toEqual(['after']);
  });

  it('refuses a tenant id that is not a UUID before sending any SQL', async () => {
    const work = jest.fn();
    await expect(inTenantTransaction(dataSource, "x', true); DROP TABLE items; --", work)).rejects.toThrow('must be a UUID');
    expect(work).not.toHaveBeenCalled();
    expect(await labels()).toEqual([]);
  });
});
