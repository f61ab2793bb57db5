import { Introspection } from './introspection';
import { EntityDefinitions, validateMappings } from './mapping-validation';

const definitions: EntityDefinitions = {
  item: {
    sku: { accepts: ['text'], required: true },
    quantity: { accepts: ['integer'], required: true },
    price: { accepts: ['integer', 'decimal'], required: false },
    status: { accepts: ['text'], required: false, enum: ['open', 'closed'] },
  },
};

const column = (name: string, type: 'text' | 'integer' | 'decimal', rawType: string) => ({
  name,
  type,
  rawType,
  nullable: true,
  hasDefault: false,
  primaryKey: false,
});
const introspection: Introspection = {
  kind: 'mysql',
  tables: [
    {
      name: 'things',
      columns: [
        column('code', 'text', 'varchar(32)'),
        column('qty', 'integer', 'int(11)'),
        column('label', 'text', 'varchar(100)'),
        column('cost', 'decimal', 'decimal(12,2)'),
        column('state', 'text', 'varchar(16)'),
      ],
    },
  ],
};

describe('validateMappings', () => {
  it('accepts a complete mapping with its value maps', () => {
    expect(
      validateMappings(definitions, introspection, {
        item: {
          table: 'things',
          fields: { sku: 'code', quantity: 'qty', price: 'cost', status: 'state' },
          valueMaps: { status: { open: 'O', closed: 'C' } },
        },
      }),
    ).toEqual([]);
  });

  it('names an unknown table, and the required fields still missing', () => {
    expect(validateMappings(definitions, introspection, { item: { table: 'nope', fields: { sku: 'code' } } })).toEqual([
      { field: 'mappings.item.table', problems: ['table "nope" does not exist in the source'] },
      { field: 'mappings.item.fields.quantity', problems: ['is required but not mapped'] },
    ]);
  });

  it('names unknown columns exactly as given, injection attempts included', () => {
    const problems = validateMappings(definitions, introspection, {
      item: { table: 'things', fields: { sku: 'code', quantity: 'qty"; DROP TABLE things; --' } },
    });
    expect(problems).toEqual([
      { field: 'mappings.item.fields.quantity', problems: ['column "qty\\"; DROP TABLE things; --" does not exist in table "things"'] },
    ]);
  });

  it('names incompatible types, columns mapped twice, unknown fields and entities', () => {
    const problems = validateMappings(definitions, introspection, {
      item: { table: 'things', fields: { sku: 'code', quantity: 'label', price: 'code', colour: 'label' } },
      widget: { table: 'things', fields: {} },
      constructor: { table: 'things', fields: {} },
    });
    expect(problems).toEqual([
      { field: 'mappings.item.fields.quantity', problems: ['column "label" is text (varchar(100)); this field needs integer'] },
      {
        field: 'mappings.item.fields.price',
        problems: ['column "code" is already mapped to sku', 'column "code" is text (varchar(32)); this field needs integer or decimal'],
      },
      { field: 'mappings.item.fields.colour', problems: ['is not a field of item (known: sku, quantity, price, status)'] },
      { field: 'mappings.widget', problems: ['is not a mappable entity (known: item)'] },
      { field: 'mappings.constructor', problems: ['is not a mappable entity (known: item)'] },
    ]);
  });

  it('needs a value map covering every enumerated value, with distinct source values', () => {
    const base = { table: 'things', fields: { sku: 'code', quantity: 'qty', status: 'state' } };
    expect(validateMappings(definitions, introspection, { item: base })).toEqual([
      {
        field: 'mappings.item.valueMaps.status',
        problems: ["is required when status is mapped: give the source's value for each of open, closed"],
      },
    ]);
    expect(validateMappings(definitions, introspection, { item: { ...base, valueMaps: { status: { open: 'X', shut: 'X' } } } })).toEqual([
      {
        field: 'mappings.item.valueMaps.status',
        problems: [
          'has no value for closed',
          'source values must be distinct; repeated: "X"',
          'shut is not a value of status (open, closed)',
        ],
      },
    ]);
  });

  it('refuses value maps for fields without enumerated values or not mapped', () => {
    expect(
      validateMappings(definitions, introspection, {
        item: { table: 'things', fields: { sku: 'code', quantity: 'qty' }, valueMaps: { sku: { a: 'b' }, status: { open: 1, closed: 2 } } },
      }),
    ).toEqual([
      { field: 'mappings.item.valueMaps.sku', problems: ['sku has no enumerated values to map'] },
      { field: 'mappings.item.valueMaps.status', problems: ['status is not mapped to a column'] },
    ]);
  });
});

describe('validateMappings with a key field', () => {
  const keyed: EntityDefinitions = {
    item: { sku: { accepts: ['text'], required: true, key: true }, label: { accepts: ['text'], required: false } },
  };
  const table = (primaryKeys: string[]): Introspection => ({
    kind: 'postgres',
    tables: [
      {
        name: 'things',
        columns: ['code', 'label'].map((name) => ({ ...column(name, 'text', 'text'), primaryKey: primaryKeys.includes(name) })),
      },
    ],
  });

  it('accepts the key mapped to the single-column primary key', () => {
    expect(validateMappings(keyed, table(['code']), { item: { table: 'things', fields: { sku: 'code', label: 'label' } } })).toEqual([]);
  });

  it('refuses a key mapped to another column or to part of a composite key', () => {
    const problem = [
      {
        field: 'mappings.item.fields.sku',
        problems: [`identifies records, so it must be mapped to the table's single-column primary key; "code" is not`],
      },
    ];
    expect(validateMappings(keyed, table(['label']), { item: { table: 'things', fields: { sku: 'code' } } })).toEqual(problem);
    expect(validateMappings(keyed, table(['code', 'label']), { item: { table: 'things', fields: { sku: 'code' } } })).toEqual(problem);
  });
});

describe('validateMappings against what columns can hold', () => {
  const limited: Introspection = {
    kind: 'postgres',
    tables: [
      {
        name: 'stock',
        columns: [
          { ...column('code', 'text', 'varchar(32)'), primaryKey: true },
          column('qty', 'integer', 'int4'),
          { ...column('kind', 'text', 'stock_kind'), allowedValues: { from: 'enum', members: ['O', 'C', 'X'] } },
          { ...column('flag', 'text', 'varchar(3)'), maxLength: 3 },
          { ...column('whole', 'decimal', 'numeric(12,0)'), precision: 12, scale: 0 },
          { ...column('cents', 'decimal', 'numeric(12,2)'), precision: 12, scale: 2 },
          { ...column('mills', 'decimal', 'numeric(12,3)'), precision: 12, scale: 3 },
          column('free', 'decimal', 'numeric'),
        ],
      },
    ],
  };
  const money: EntityDefinitions = {
    item: { ...definitions.item, price: { accepts: ['integer', 'decimal'], required: false, decimalPlaces: 2 } },
  };
  const base = { table: 'stock', fields: { sku: 'code', quantity: 'qty' } };

  it('refuses a value-map target outside the column’s ENUM, naming the target and the members', () => {
    const problems = validateMappings(definitions, limited, {
      item: { ...base, fields: { ...base.fields, status: 'kind' }, valueMaps: { status: { open: 'O', closed: 'Z' } } },
    });
    expect(problems).toEqual([
      {
        field: 'mappings.item.valueMaps.status',
        problems: ['maps closed to "Z", which column "kind" cannot hold: it is not one of the values its ENUM allows (O, C, X)'],
      },
    ]);
  });

  it('refuses a value-map target longer than the column', () => {
    const problems = validateMappings(definitions, limited, {
      item: { ...base, fields: { ...base.fields, status: 'flag' }, valueMaps: { status: { open: 'opn', closed: 'shut' } } },
    });
    expect(problems[0].problems).toEqual([
      'maps closed to "shut", which column "flag" cannot hold: it is 4 characters long and the column holds at most 3',
    ]);
  });

  it('says which of the field’s values an ENUM column lacks when the value map is missing', () => {
    const problems = validateMappings(definitions, limited, { item: { ...base, fields: { ...base.fields, status: 'kind' } } });
    expect(problems[0].problems[0]).toMatch(/is required when status is mapped: .*; column "kind" cannot hold open, closed as they are/);
  });

  it('accepts a fallback that is one of the field’s values, and refuses any other', () => {
    const mapped = { ...base, fields: { ...base.fields, status: 'kind' } };
    expect(
      validateMappings(definitions, limited, { item: { ...mapped, valueMaps: { status: { open: 'O', closed: 'C', '*': 'closed' } } } }),
    ).toEqual([]);
    const problems = validateMappings(definitions, limited, {
      item: { ...mapped, valueMaps: { status: { open: 'O', closed: 'C', '*': 'unmapped' } } },
    });
    expect(problems[0].problems).toEqual([
      '"*" names the value source values outside the map read as, so it must be one of open, closed; without it they read as unmapped',
    ]);
  });

  it('accepts minor units in a decimal column of scale 2 or less, and refuses finer or undeclared scales', () => {
    const priced = (price: string) => validateMappings(money, limited, { item: { ...base, fields: { ...base.fields, price } } });
    expect(priced('whole')).toEqual([]);
    expect(priced('cents')).toEqual([]);
    expect(priced('mills')[0]).toEqual({
      field: 'mappings.item.fields.price',
      problems: [expect.stringMatching(/"mills" is numeric\(12,3\): its 3 decimal places .* without rounding/)],
    });
    expect(priced('free')[0].problems[0]).toMatch(/"free" is numeric without a declared scale/);
  });

  describe('custom fields', () => {
    const withExtras: Introspection = {
      kind: 'mysql',
      tables: [
        {
          name: 'things',
          columns: [
            ...introspection.tables[0].columns,
            column('vat', 'text', 'varchar(20)'),
            { ...column('meta', 'text', 'json'), type: 'json' as const },
          ],
        },
      ],
    };
    const mapping = (customFields: Record<string, string>) => ({
      item: { table: 'things', fields: { sku: 'code', quantity: 'qty' }, customFields },
    });

    it('accepts extra columns under valid keys for an entity that has custom fields', () => {
      expect(validateMappings(definitions, withExtras, mapping({ vat_id: 'vat', label_text: 'label' }), ['item'])).toEqual([]);
    });

    it('names a bad key, a missing column, a column mapped twice and one no JSON value fits', () => {
      expect(
        validateMappings(definitions, withExtras, mapping({ 'Bad-Key': 'vat', nothing: 'nope', twice: 'qty', meta: 'meta' }), ['item']),
      ).toEqual([
        { field: 'mappings.item.customFields.Bad-Key', problems: ['is not a custom field key: it must match ^[a-z][a-z0-9_]{0,63}$'] },
        { field: 'mappings.item.customFields.nothing', problems: ['column "nope" does not exist in table "things"'] },
        { field: 'mappings.item.customFields.twice', problems: ['column "qty" is already mapped to fields.quantity'] },
        {
          field: 'mappings.item.customFields.meta',
          problems: ['column "meta" is json (json); a custom field needs text, integer, decimal, boolean, date, timestamp, uuid'],
        },
      ]);
    });

    it('refuses them on an entity without custom fields and on a REST source', () => {
      expect(validateMappings(definitions, withExtras, mapping({ vat_id: 'vat' }))).toEqual([
        { field: 'mappings.item.customFields', problems: ['item records have no custom fields'] },
      ]);
      expect(validateMappings(definitions, { ...withExtras, kind: 'rest' }, mapping({ vat_id: 'vat' }), ['item'])).toEqual([
        { field: 'mappings.item.customFields', problems: ['are only for database sources, not REST'] },
      ]);
    });
  });

  it('refuses a rule on a field the customer’s system keeps', () => {
    const stamped: EntityDefinitions = {
      item: { ...definitions.item, created_at: { accepts: ['timestamp'], required: false, readOnly: true } },
    };
    const withStamp: Introspection = {
      kind: 'mysql',
      tables: [
        {
          name: 'things',
          columns: [...introspection.tables[0].columns, { ...column('made', 'text', 'datetime'), type: 'timestamp' as const }],
        },
      ],
    };
    expect(
      validateMappings(stamped, withStamp, {
        item: {
          table: 'things',
          fields: { sku: 'code', quantity: 'qty', created_at: 'made' },
          validations: { created_at: { required: true } },
        },
      }),
    ).toEqual([
      {
        field: 'mappings.item.validations.created_at',
        problems: ["created_at is kept by the customer's system and never written here, so no rule can apply"],
      },
    ]);
  });
});
