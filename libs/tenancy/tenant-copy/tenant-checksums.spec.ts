import { differingTables } from './tenant-checksums';

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
