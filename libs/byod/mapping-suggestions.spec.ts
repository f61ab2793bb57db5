import { IntrospectedColumn, Introspection } from './introspection';
import { suggestMappings, ValueSampler } from './mapping-suggestions';
import { EntityDefinitions, validateMappings } from './mapping-validation';

/** Fields as a CRM would declare them; the lib knows none of them. */
const DEFINITIONS: EntityDefinitions = {
  inventory_item: {
    sku: { accepts: ['text'], required: true, key: true },
    name: { accepts: ['text'], required: true },
    stock_on_hand: { accepts: ['integer'], required: true },
    price_selling_minor: { accepts: ['integer', 'decimal'], required: true, decimalPlaces: 2 },
    currency: { accepts: ['text'], required: false },
    status: { accepts: ['text'], required: false, enum: ['available', 'reserved', 'sold', 'archived'] },
    low_stock_threshold: { accepts: ['integer'], required: false },
  },
  contact: {
    id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
    first_name: { accepts: ['text'], required: true },
    last_name: { accepts: ['text'], required: true },
    email: { accepts: ['text'], required: false },
    phone: { accepts: ['text'], required: false },
  },
};

const column = (
  name: string,
  type: IntrospectedColumn['type'],
  rawType: string,
  extra: Partial<IntrospectedColumn> = {},
): IntrospectedColumn => ({
  name,
  type,
  rawType,
  nullable: false,
  hasDefault: false,
  primaryKey: false,
  ...extra,
});

/** A legacy shop: its own names, a price with too many decimals beside one that fits, an ENUM state. */
const LEGACY: Introspection = {
  kind: 'mysql',
  tables: [
    {
      name: 'articles',
      columns: [
        column('article_code', 'text', 'varchar(24)', { primaryKey: true, maxLength: 24 }),
        column('article_title', 'text', 'varchar(80)', { maxLength: 80 }),
        column('qty', 'integer', 'int'),
        column('unit_price', 'decimal', 'decimal(10,3)', { precision: 10, scale: 3 }),
        column('list_price', 'decimal', 'decimal(10,2)', { precision: 10, scale: 2 }),
        column('reorder_level', 'integer', 'int'),
        column('state', 'text', "enum('on_shelf','on_hold','sold_out','retired','in_transit')", {
          allowedValues: { from: 'enum', members: ['on_shelf', 'on_hold', 'sold_out', 'retired', 'in_transit'] },
        }),
      ],
    },
    {
      name: 'people',
      columns: [
        column('person_no', 'integer', 'int', { primaryKey: true }),
        column('given_name', 'text', 'varchar(50)', { maxLength: 50 }),
        column('surname', 'text', 'varchar(50)', { maxLength: 50 }),
        column('e_mail', 'text', 'varchar(120)', { maxLength: 120 }),
        column('tel', 'text', 'varchar(30)', { maxLength: 30 }),
      ],
    },
    { name: 'audit_trail', columns: [column('entry_no', 'integer', 'bigint', { primaryKey: true }), column('note', 'text', 'text')] },
  ],
};

const noSamples: ValueSampler = async () => {
  throw new Error('no column needed sampling');
};

describe('suggestMappings', () => {
  it('proposes the table, key, columns by name and type, and a value map from an ENUM, which the mapping checks accept as they are', async () => {
    const suggestions = await suggestMappings(DEFINITIONS, LEGACY, noSamples);
    const item = suggestions.inventory_item;
    expect(item.mapping).toEqual({
      table: 'articles',
      fields: {
        sku: 'article_code',
        name: 'article_title',
        stock_on_hand: 'qty',
        price_selling_minor: 'list_price',
        status: 'state',
        low_stock_threshold: 'reorder_level',
      },
      valueMaps: { status: { available: 'on_shelf', reserved: 'on_hold', sold: 'sold_out', archived: 'retired' } },
    });
    expect(item.complete).toBe(true);
    expect(item.fields.sku).toMatchObject({ confidence: 100, reason: expect.stringMatching(/primary key/) });
    expect(item.fields.stock_on_hand.reason).toMatch(/qty ~ stock/);
    expect(item.unmatched).toEqual([{ field: 'currency', required: false, reason: expect.any(String) }]);
    expect(validateMappings(DEFINITIONS, LEGACY, { inventory_item: item.mapping! })).toEqual([]);

    expect(suggestions.contact.mapping).toEqual({
      table: 'people',
      fields: { id: 'person_no', first_name: 'given_name', last_name: 'surname', email: 'e_mail', phone: 'tel' },
    });
    expect(suggestions.contact.complete).toBe(true);
  });

  it('never proposes a column the field cannot take: a price with more decimal places than minor units', async () => {
    const withoutFit: Introspection = {
      ...LEGACY,
      tables: [{ ...LEGACY.tables[0], columns: LEGACY.tables[0].columns.filter((candidate) => candidate.name !== 'list_price') }],
    };
    const item = (await suggestMappings(DEFINITIONS, withoutFit, noSamples)).inventory_item;
    expect(item.fields.price_selling_minor).toBeUndefined();
    expect(item.unmatched).toContainEqual({ field: 'price_selling_minor', required: true, reason: expect.any(String) });
    expect(item.complete).toBe(false);
    expect(item.problems).toEqual([
      { field: 'mappings.inventory_item.fields.price_selling_minor', problems: ['is required but not mapped'] },
    ]);
  });

  it('matches sampled values of a free-text column, and proposes ours as they are for values no row has yet', async () => {
    const freeText: Introspection = {
      kind: 'postgres',
      tables: [
        {
          ...LEGACY.tables[0],
          columns: LEGACY.tables[0].columns.map((candidate) =>
            candidate.name === 'state' ? column('state', 'text', 'varchar(12)', { maxLength: 12 }) : candidate,
          ),
        },
      ],
    };
    const sampled: string[][] = [];
    const item = (
      await suggestMappings(DEFINITIONS, freeText, async (table, name) => {
        sampled.push([table, name]);
        return ['GONE', 'IN_STOCK'];
      })
    ).inventory_item;
    expect(sampled).toEqual([['articles', 'state']]);
    expect(item.mapping!.valueMaps).toEqual({
      status: { available: 'IN_STOCK', sold: 'GONE', reserved: 'reserved', archived: 'archived' },
    });
    expect(item.valueMaps.status.reserved).toMatchObject({ confidence: 30, reason: expect.stringMatching(/stored as it is/) });
    expect(item.complete).toBe(true);
  });

  it('proposes no value map for a column with too many distinct values, and says so', async () => {
    const freeText: Introspection = {
      kind: 'mysql',
      tables: [
        {
          ...LEGACY.tables[0],
          columns: LEGACY.tables[0].columns.map((candidate) => (candidate.name === 'state' ? column('state', 'text', 'text') : candidate)),
        },
      ],
    };
    const item = (await suggestMappings(DEFINITIONS, freeText, async () => null)).inventory_item;
    expect(item.unmatched).toContainEqual({ field: 'status', required: false, reason: expect.stringMatching(/too many distinct values/) });
    expect(item.complete).toBe(false);
  });

  it('names the values of ours an ENUM has nothing like', async () => {
    const narrow: Introspection = {
      kind: 'mysql',
      tables: [
        {
          ...LEGACY.tables[0],
          columns: LEGACY.tables[0].columns.map((candidate) =>
            candidate.name === 'state'
              ? column('state', 'text', "enum('on_shelf','sold_out')", {
                  allowedValues: { from: 'enum', members: ['on_shelf', 'sold_out'] },
                })
              : candidate,
          ),
        },
      ],
    };
    const item = (await suggestMappings(DEFINITIONS, narrow, noSamples)).inventory_item;
    expect(item.unmatched.map((entry) => entry.field)).toEqual(expect.arrayContaining(['status.reserved', 'status.archived']));
    expect(item.complete).toBe(false);
  });

  it('proposes no table for an entity when no table has a fitting key', async () => {
    const suggestions = await suggestMappings(DEFINITIONS, { kind: 'mysql', tables: [LEGACY.tables[1]] }, noSamples);
    expect(suggestions.inventory_item).toMatchObject({ table: null, mapping: null, complete: false });
    expect(suggestions.contact.table).toBe('people');
  });
});
