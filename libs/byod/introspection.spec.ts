import { CatalogRow, IntrospectedColumn, tablesFrom } from './introspection';

const row = (column: string, shape: Partial<CatalogRow> = {}): CatalogRow => ({
  table_name: 'stock',
  column_name: column,
  data_type: 'varchar',
  column_type: 'varchar(16)',
  is_nullable: 'YES',
  has_default: 0,
  primary_key: 0,
  character_maximum_length: null,
  numeric_precision: null,
  numeric_scale: null,
  ...shape,
});

describe('tablesFrom', () => {
  const reading = {
    type: (catalog: CatalogRow) => (catalog.data_type === 'decimal' ? ('decimal' as const) : ('text' as const)),
    typeMembers: (catalog: CatalogRow): IntrospectedColumn['allowedValues'] =>
      catalog.column_type.startsWith('enum') ? { from: 'enum', members: ['a', 'b', 'c'] } : undefined,
  };

  it('records lengths, precision and scale, and ENUM members, leaving out what the catalog does not say', () => {
    const [table] = tablesFrom(
      [
        row('code', { character_maximum_length: '16' }),
        row('kind', { column_type: "enum('a','b','c')", character_maximum_length: 1 }),
        row('price', { data_type: 'decimal', column_type: 'decimal(12,3)', numeric_precision: 12, numeric_scale: '3' }),
        row('notes', { column_type: 'text' }),
      ],
      reading,
    );
    expect(
      table.columns.map(({ name, allowedValues, maxLength, precision, scale }) => ({ name, allowedValues, maxLength, precision, scale })),
    ).toEqual([
      { name: 'code', maxLength: 16 },
      { name: 'kind', allowedValues: { from: 'enum', members: ['a', 'b', 'c'] }, maxLength: 1 },
      { name: 'price', precision: 12, scale: 3 },
      { name: 'notes' },
    ]);
    expect(Object.keys(table.columns[3])).not.toContain('maxLength');
  });

  it('narrows a column’s values by the CHECK constraints that list them, ignoring ones it cannot read', () => {
    const [table] = tablesFrom([row('code'), row('kind', { column_type: "enum('a','b','c')" })], reading, [
      { table: 'stock', expression: "`code` in ('x','y')" },
      { table: 'stock', expression: "`kind` in ('a','b')" },
      { table: 'stock', expression: "`code` in ('x') or `code` is null" },
      { table: 'other', expression: "`kind` in ('a')" },
    ]);
    expect(table.columns[0].allowedValues).toEqual({ from: 'check', members: ['x', 'y'] });
    expect(table.columns[1].allowedValues).toEqual({ from: 'enum', members: ['a', 'b'] });
  });
});
