import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from './testing/scratch-database';
import { insertableColumns, parentsFirst, readTenantTableLayout, readTenantTextColumns } from './tenant-tables';

describe('parentsFirst', () => {
  const table = (name: string) => ({ name });

  it('puts every table after the tables it refers to, and a table referring to itself is no obstacle', () => {
    const keys = [
      { child: 'deals', parent: 'contacts' },
      { child: 'deals', parent: 'accounts' },
      { child: 'contact_accounts', parent: 'contacts' },
      { child: 'contact_accounts', parent: 'accounts' },
      { child: 'notes', parent: 'notes' },
    ];
    const order = parentsFirst(['deals', 'notes', 'contact_accounts', 'contacts', 'accounts'].map(table), keys).map((t) => t.name);
    expect(order).toEqual(['accounts', 'contacts', 'notes', 'contact_accounts', 'deals']);
  });

  it('refuses foreign keys that form a cycle, naming the tables', () => {
    expect(() =>
      parentsFirst(
        [table('a'), table('b')],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow('Foreign keys form a cycle among a, b');
  });
});

// A real PostgreSQL database with a small tenant schema: the catalog as archives, subject requests (a TypeORM
// EntityManager) and moves (a pg Client) read it.
describe('the tenant-table catalog', () => {
  let database: ScratchDatabase;
  let client: Client;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('tenant_tables_spec');
    client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(`
      CREATE TABLE contacts (tenant_id uuid NOT NULL, id uuid NOT NULL, email text, tags text[],
        search_text text GENERATED ALWAYS AS (lower(email)) STORED, PRIMARY KEY (tenant_id, id));
      CREATE TABLE deals (tenant_id uuid NOT NULL, id uuid NOT NULL, contact_id uuid, data jsonb, PRIMARY KEY (id, tenant_id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE);
      CREATE TABLE notes (tenant_id uuid NOT NULL, id uuid NOT NULL, contact_id uuid, body varchar(200), PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id));
      CREATE TABLE outbox_events (tenant_id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY, data jsonb NOT NULL,
        PRIMARY KEY (tenant_id, seq));
      CREATE TABLE visits (tenant_id uuid NOT NULL, at date NOT NULL, page text, PRIMARY KEY (tenant_id, at)) PARTITION BY RANGE (at);
      CREATE TABLE visits_2026 PARTITION OF visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE settings (key text PRIMARY KEY, value text);`);
    dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await client?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('lists the tables with a tenant_id, parents first, a partitioned table once and the outbox (work in flight) not at all', async () => {
    const layout = await readTenantTableLayout(client);
    expect(layout.tables.map((table) => table.name)).toEqual(['contacts', 'visits', 'deals', 'notes']);
    const contacts = layout.tables[0];
    expect(contacts).toEqual({
      name: 'contacts',
      columns: ['tenant_id', 'id', 'email', 'tags', 'search_text'],
      generated: ['search_text'],
      primaryKey: ['tenant_id', 'id'],
    });
    expect(insertableColumns(contacts)).toEqual(['tenant_id', 'id', 'email', 'tags']);
    expect(layout.tables.find((table) => table.name === 'deals')?.primaryKey).toEqual(['id', 'tenant_id']);
    expect(layout.foreignKeys).toEqual([
      {
        child: 'deals',
        parent: 'contacts',
        childColumns: ['tenant_id', 'contact_id'],
        parentColumns: ['tenant_id', 'id'],
        blocksDelete: false,
      },
      {
        child: 'notes',
        parent: 'contacts',
        childColumns: ['tenant_id', 'contact_id'],
        parentColumns: ['tenant_id', 'id'],
        blocksDelete: true,
      },
    ]);
  });

  it('reads the same layout through a TypeORM EntityManager as through a pg Client', async () => {
    expect(await readTenantTableLayout(dataSource.manager)).toEqual(await readTenantTableLayout(client));
  });

  it('includes the outbox, numbered seq and all, only when asked for work in flight', async () => {
    const layout = await readTenantTableLayout(client, { withWorkInFlight: true });
    expect(layout.tables.find((table) => table.name === 'outbox_events')).toEqual({
      name: 'outbox_events',
      columns: ['tenant_id', 'seq', 'data'],
      generated: ['seq'],
      primaryKey: ['tenant_id', 'seq'],
    });
  });

  it('finds the text, JSON and text-array columns of tenant tables, with the outbox only when asked', async () => {
    const columns = await readTenantTextColumns(dataSource.manager);
    expect(columns.map((column) => `${column.table}.${column.column}:${column.kind}${column.generated ? ':generated' : ''}`)).toEqual([
      'contacts.email:text',
      'contacts.tags:text-array',
      'contacts.search_text:text:generated',
      'deals.data:json',
      'notes.body:text',
      'visits.page:text',
    ]);
    const withOutbox = await readTenantTextColumns(dataSource.manager, { withWorkInFlight: true });
    expect(withOutbox.filter((column) => column.table === 'outbox_events').map((column) => column.column)).toEqual(['data']);
  });
});
