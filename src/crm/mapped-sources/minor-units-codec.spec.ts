import { InexactSourceValueError, IntrospectedColumn, UnstorableValueError } from '../../../libs/byod';
import { minorUnitsCodec } from './minor-units-codec';

const column = (
  rawType: string,
  type: IntrospectedColumn['type'] = 'decimal',
  shape: Partial<IntrospectedColumn> = {},
): IntrospectedColumn => ({
  name: 'price',
  type,
  rawType,
  nullable: false,
  hasDefault: false,
  primaryKey: false,
  ...shape,
});

describe('minor units over a customer’s decimal column', () => {
  it('converts cents to major units and back exactly in a DECIMAL(p,2)', () => {
    const codec = minorUnitsCodec(column('decimal(12,2)', 'decimal', { precision: 12, scale: 2 }))!;
    expect(codec.toSource(12345)).toBe('123.45');
    expect(codec.toSource(5)).toBe('0.05');
    expect(codec.toSource(-5)).toBe('-0.05');
    expect(codec.fromSource('31500.50')).toBe(3_150_050);
    expect(codec.fromSource('0.1')).toBe(10);
  });

  it('writes whole units to a DECIMAL(p,0) and refuses cents it would round, naming the column type', () => {
    const codec = minorUnitsCodec(column('decimal(12,0)', 'decimal', { precision: 12, scale: 0 }))!;
    expect(codec.toSource(12300)).toBe('123');
    expect(codec.fromSource('123')).toBe(12300);
    expect(() => codec.toSource(12345)).toThrow(UnstorableValueError);
    expect(() => codec.toSource(12345)).toThrow(/decimal\(12,0\), which keeps 0 decimal places; send a multiple of 100/);
    const tenths = minorUnitsCodec(column('numeric(8,1)'))!;
    expect(tenths.toSource(1230)).toBe('12.3');
    expect(() => tenths.toSource(1234)).toThrow(/send a multiple of 10/);
  });

  it('refuses a write with more whole digits than the precision leaves, before the database clips it', () => {
    const codec = minorUnitsCodec(column('decimal(5,2)', 'decimal', { precision: 5, scale: 2 }))!;
    expect(codec.toSource(99_999)).toBe('999.99');
    expect(() => codec.toSource(100_000)).toThrow(/holds at most 3 digits before the decimal point/);
  });

  it('never rounds a stored value finer than cents: trailing zeros are exact, other digits an error', () => {
    const wide = minorUnitsCodec(column('numeric', 'decimal'))!;
    expect(wide.fromSource('1.010')).toBe(101);
    expect(() => wide.fromSource('1.005')).toThrow(InexactSourceValueError);
    expect(() => wide.fromSource('1.005')).toThrow(/1\.005 .*not rounded/);
  });

  it('sends JSON numbers to a REST source', () => {
    expect(minorUnitsCodec(column('number'), { jsonNumbers: true })!.toSource(3_150_050)).toBe(31500.5);
  });

  it('leaves integer columns alone (they hold minor units)', () => {
    expect(minorUnitsCodec(column('int', 'integer'))).toBeUndefined();
  });
});
