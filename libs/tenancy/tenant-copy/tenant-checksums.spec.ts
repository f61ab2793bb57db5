import { Client } from 'pg';
import { createScratchDatabase, ScratchDatabase } from '../testing/scratch-database';
import { differingTables, rowHashes, tenantChecksums } from './tenant-checksums';
import { TenantTable } from '../tenant-tables';

describe('differingTables', () => {
  const source = [
    { table: 'contacts', rows: 2, checksum: '17' },
    { table: 'notes', rows: 0, checksum: '0' },
  ];

  it('finds nothing when every table has the same count and checksum on both ends', () => {
    expect(differingTables(source, [...source].reverse())).toEqual([]);
  });

  it('names a table whose checksum differs though its count is the same (a row changed)', () => {
    expect(differingTables(source, [{ ...source[0], checksum: '18' }, source[1]])).toEqual(['contacts']);
  });

  it('names a table whose count differs, and one missing on the target', () => {
    expect(differingTables(source, [{ table: 'contacts', rows: 3, checksum: '17' }])).toEqual(['contacts', 'notes']);
  });
});

describe('tenantChecksums against PostgreSQL', () => {
  const tenantId = '6f1f4a56-0f4e-4a57-9d27-3d1c2c6f3a10';
  const otherTenant = '0b5b9a7e-52b1-4b0b-a1f1-0d2f62e0c5d4';
  let database: ScratchDatabase;
  let client: Client;
  const tables: TenantTable[] = [
    { name: 'hashable', columns: [], generated: [], primaryKey: [] },
    { name: 'with_json', columns: [], generated: [], primaryKey: [] },
  ];

  beforeAll(async () => {
    database = await createScratchDatabase('checksum_spec');
    client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(`CREATE TABLE hashable (tenant_id uuid, name text, data jsonb, amount numeric, at timestamptz)`);
    await client.query(`CREATE TABLE with_json (tenant_id uuid, data json)`);
    await client.query(
      `INSERT INTO hashable VALUES ($1, 'a', '{"x": 1}', 1.5, now()), ($1, 'b', null, 2, now()), ($2, 'z', null, 9, now())`,
      [tenantId, otherTenant],
    );
    await client.query(`INSERT INTO with_json VALUES ($1, '{"x": 1}')`, [tenantId]);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('hashes rows by their column types where every type has a hash function, and by their text where one has none', async () => {
    expect(await rowHashes(client, tables, tenantId)).toEqual(
      new Map([
        ['hashable', 'record'],
        ['with_json', 'text'],
      ]),
    );
  });

  it("counts and checksums only the tenant's rows, and a changed row changes the checksum", async () => {
    const hashes = await rowHashes(client, tables, tenantId);
    const before = await tenantChecksums(client, tables, tenantId, hashes);
    expect(before.map(({ table, rows }) => ({ table, rows }))).toEqual([
      { table: 'hashable', rows: 2 },
      { table: 'with_json', rows: 1 },
    ]);
    await client.query(`UPDATE hashable SET amount = 3 WHERE name = 'z'`);
    expect(await tenantChecksums(client, tables, tenantId, hashes)).toEqual(before);
    await client.query(`UPDATE hashable SET amount = 3 WHERE name = 'b'`);
    expect(differingTables(before, await tenantChecksums(client, tables, tenantId, hashes))).toEqual(['hashable']);
  });
});
