import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../testing/scratch-database';
import { TenantEntityManager } from '../tenant-connection-provider';
import { RecordNotFoundError } from './record-errors';
import { assertLinkedRecord, findOrFail } from './record-lookups';
import { findDeletedOrFail, softDelete, undelete } from './soft-delete';
import { SoftDeletableRecord } from './tenant-owned.entity';

@Entity({ name: 'widgets' })
class Widget extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 100 })
  name: string;
}

let database: ScratchDatabase;
let dataSource: DataSource;
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createScratchDatabase('tenant_records_spec');
  dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [Widget], extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.query(
    `CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`,
  );
  await dataSource.query(`
    CREATE TABLE widgets (
      tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name varchar(100) NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      deleted_at timestamptz(3),
      PRIMARY KEY (tenant_id, id)
    )`);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

/** A transaction bound to the tenant as inTenantTransaction binds it. */
const inTenant = <T>(work: (tx: TenantEntityManager) => Promise<T>): Promise<T> =>
  dataSource.transaction(async (manager) => {
    await manager.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return work(new TenantEntityManager(manager, tenantId));
  });

const saveWidget = (name: string) => inTenant((tx) => tx.repository(Widget).save(tx.repository(Widget).create({ name })));

// A table shaped as migrations/tenant shapes them, on real PostgreSQL.
describe('tenant-owned records', () => {
  it('leave tenant_id to the schema and read it back, so a saved record carries its whole key', async () => {
    const widget = await saveWidget('first');
    expect(widget.tenantId).toBe(tenantId);
    await inTenant((tx) => tx.repository(Widget).save(Object.assign(widget, { name: 'renamed' })));
    expect(await dataSource.query('SELECT tenant_id, name FROM widgets WHERE id = $1', [widget.id])).toEqual([
      { tenant_id: tenantId, name: 'renamed' },
    ]);
  });

  it('find a live record, and answer a missing or soft-deleted one with RecordNotFoundError naming it', async () => {
    const widget = await saveWidget('kept');
    await expect(inTenant((tx) => findOrFail(tx, Widget, widget.id, { name: 'Widget' }))).resolves.toMatchObject({ name: 'kept' });
    await inTenant((tx) => softDelete(tx, Widget, widget.id));
    const missing = inTenant((tx) => findOrFail(tx, Widget, widget.id, { name: 'Widget', field: 'widgetId' }));
    await expect(missing).rejects.toThrow(RecordNotFoundError);
    await expect(missing).rejects.toMatchObject({
      message: `Widget ${widget.id} not found`,
      details: [{ field: 'widgetId', problems: ['unknown widget'] }],
    });
  });

  it('restore a soft-deleted record, and only a deleted one', async () => {
    const widget = await saveWidget('restored');
    await expect(inTenant((tx) => findDeletedOrFail(tx, Widget, widget.id, 'widget'))).rejects.toThrow(`No deleted widget ${widget.id}`);
    await inTenant((tx) => softDelete(tx, Widget, widget.id));
    const restored = await inTenant(async (tx) => undelete(tx, Widget, await findDeletedOrFail(tx, Widget, widget.id, 'widget')));
    expect(restored.deletedAt).toBeNull();
    await expect(inTenant((tx) => findOrFail(tx, Widget, widget.id, { name: 'Widget' }))).resolves.toMatchObject({ deletedAt: null });
  });

  it('check links: an absent id passes, an unknown one is a 404 naming the field', async () => {
    const unknown = randomUUID();
    await expect(
      inTenant((tx) => assertLinkedRecord(tx, Widget, undefined, { field: 'widgetId', name: 'Widget' })),
    ).resolves.toBeUndefined();
    await expect(inTenant((tx) => assertLinkedRecord(tx, Widget, unknown, { field: 'widgetId', name: 'Widget' }))).rejects.toMatchObject({
      message: `Widget ${unknown} not found`,
      details: [{ field: 'widgetId', problems: ['unknown widget'] }],
    });
    await expect(
      inTenant((tx) => assertLinkedRecord(tx, Widget, unknown, { field: 'relatedId', name: 'widget', message: `No widget ${unknown}` })),
    ).rejects.toThrow(`No widget ${unknown}`);
  });
});
