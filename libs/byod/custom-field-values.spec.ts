import { customFieldFromSource, customFieldToSource } from './custom-field-values';
import { IntrospectedColumn } from './introspection';
import { UnstorableValueError } from './value-errors';

const column = (shape: Partial<IntrospectedColumn>): IntrospectedColumn => ({
  name: 'c',
  type: 'text',
  rawType: 'varchar(8)',
  nullable: true,
  hasDefault: false,
  primaryKey: false,
  ...shape,
});

const refusal = (write: () => unknown): string => {
  try {
    write();
  } catch (error) {
    if (error instanceof UnstorableValueError) return error.problem;
    throw error;
  }
  throw new Error('the value was accepted');
};

describe('customFieldFromSource', () => {
  it('answers each column type as its JSON value: numbers, exact decimal text, booleans, dates and ISO timestamps', () => {
    expect(customFieldFromSource(column({ type: 'integer' }), '42')).toBe(42);
    expect(customFieldFromSource(column({ type: 'integer' }), '9007199254740993')).toBe('9007199254740993');
    expect(customFieldFromSource(column({ type: 'decimal' }), '1250.50')).toBe('1250.50');
    expect(customFieldFromSource(column({ type: 'boolean' }), 1)).toBe(true);
    expect(customFieldFromSource(column({ type: 'boolean' }), false)).toBe(false);
    expect(customFieldFromSource(column({ type: 'date' }), '2026-03-31')).toBe('2026-03-31');
    expect(customFieldFromSource(column({ type: 'date' }), '0000-00-00')).toBeNull();
    expect(customFieldFromSource(column({ type: 'timestamp' }), new Date('2026-03-31T08:15:00Z'))).toBe('2026-03-31T08:15:00.000Z');
    expect(customFieldFromSource(column({ type: 'text' }), null)).toBeNull();
  });
});

describe('customFieldToSource', () => {
  it('passes values of the column’s kind, decimals as text and timestamps as instants', () => {
    expect(customFieldToSource(column({ type: 'decimal', rawType: 'decimal(10,2)', precision: 10, scale: 2 }), 12.5)).toBe('12.5');
    expect(customFieldToSource(column({ type: 'decimal', rawType: 'decimal(10,2)', precision: 10, scale: 2 }), '12.50')).toBe('12.50');
    expect(customFieldToSource(column({ type: 'timestamp' }), '2026-03-31T08:15:00Z')).toEqual(new Date('2026-03-31T08:15:00Z'));
    expect(customFieldToSource(column({ type: 'integer' }), 7)).toBe(7);
    expect(customFieldToSource(column({}), null)).toBeNull();
  });

  it('refuses what the column could only store changed or not at all', () => {
    const money = column({ name: 'limit', type: 'decimal', rawType: 'decimal(6,2)', precision: 6, scale: 2 });
    expect(refusal(() => customFieldToSource(money, '1.234'))).toBe('has more than the 2 decimal places column "limit" holds');
    expect(refusal(() => customFieldToSource(money, 12345))).toBe('has more whole digits than column "limit" (decimal(6,2)) holds');
    expect(refusal(() => customFieldToSource(money, 'lots'))).toMatch(/^must be a decimal number/);
    expect(refusal(() => customFieldToSource(column({ type: 'integer' }), 1.5))).toBe('must be a whole number');
    expect(refusal(() => customFieldToSource(column({ type: 'integer' }), '7'))).toBe('must be a whole number');
    expect(refusal(() => customFieldToSource(column({ maxLength: 8 }), 'too long text'))).toMatch(/at most 8/);
    expect(refusal(() => customFieldToSource(column({ type: 'boolean' }), 'yes'))).toBe('must be true or false');
    expect(refusal(() => customFieldToSource(column({ type: 'date' }), '31.03.2026'))).toBe('must be a date (YYYY-MM-DD)');
    expect(refusal(() => customFieldToSource(column({ type: 'timestamp' }), 'tomorrow'))).toBe('must be an ISO 8601 date and time');
    expect(refusal(() => customFieldToSource(column({ nullable: false }), null))).toBe('cannot be cleared: column "c" is NOT NULL');
  });
});
