import { decimalShape, whyColumnCannotHold } from './column-capacity';
import { IntrospectedColumn } from './introspection';

const column = (shape: Partial<IntrospectedColumn>): IntrospectedColumn => ({
  name: 'c',
  type: 'text',
  rawType: 'varchar(8)',
  nullable: true,
  hasDefault: false,
  primaryKey: false,
  ...shape,
});

describe('decimalShape', () => {
  it('takes the introspected precision and scale, or reads them from an older introspection’s raw type', () => {
    expect(decimalShape(column({ type: 'decimal', rawType: 'decimal(12,3)', precision: 12, scale: 3 }))).toEqual({
      precision: 12,
      scale: 3,
    });
    expect(decimalShape(column({ type: 'decimal', rawType: 'decimal(12,2) unsigned' }))).toEqual({ precision: 12, scale: 2 });
    expect(decimalShape(column({ type: 'decimal', rawType: 'numeric(10)' }))).toEqual({ precision: 10, scale: 0 });
  });

  it('has none for an unconstrained numeric or a column that is not decimal', () => {
    expect(decimalShape(column({ type: 'decimal', rawType: 'numeric' }))).toBeUndefined();
    expect(decimalShape(column({ type: 'integer', rawType: 'int' }))).toBeUndefined();
  });
});

describe('whyColumnCannotHold', () => {
  it('refuses a value outside an ENUM or CHECK list, naming the list', () => {
    const enumColumn = column({ allowedValues: { from: 'enum', members: ['in_stock', 'sold'] } });
    expect(whyColumnCannotHold(enumColumn, 'sold')).toBeUndefined();
    expect(whyColumnCannotHold(enumColumn, 'retired')).toBe('it is not one of the values its ENUM allows (in_stock, sold)');
    const checked = column({ allowedValues: { from: 'check', members: ['a'] } });
    expect(whyColumnCannotHold(checked, 'b')).toMatch(/its CHECK constraint allows \(a\)/);
  });

  it('accepts comma-joined members of a SET', () => {
    const set = column({ allowedValues: { from: 'set', members: ['red', 'blue'] } });
    expect(whyColumnCannotHold(set, 'red,blue')).toBeUndefined();
    expect(whyColumnCannotHold(set, 'red,green')).toMatch(/SET allows/);
  });

  it('refuses a value longer than the column, and knows nothing of a column introspected without limits', () => {
    expect(whyColumnCannotHold(column({ maxLength: 4 }), 'archived')).toBe('it is 8 characters long and the column holds at most 4');
    expect(whyColumnCannotHold(column({}), 'anything at all')).toBeUndefined();
  });
});
