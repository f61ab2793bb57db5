import { IntrospectedColumn } from '../../../libs/byod';
import { minorUnitsCodec } from './minor-units-codec';

const column = (rawType: string, type: IntrospectedColumn['type'] = 'decimal'): IntrospectedColumn => ({
  name: 'price',
  type,
  rawType,
  nullable: false,
  hasDefault: false,
  primaryKey: false,
});

describe('minor units over a customer’s decimal column', () => {
  it('converts cents to major units and back exactly, rounding extra digits half up', () => {
    const codec = minorUnitsCodec(column('decimal(12,2)'))!;
    expect(codec.toSource(12345)).toBe('123.45');
    expect(codec.toSource(5)).toBe('0.05');
    expect(codec.fromSource('31500.50')).toBe(3_150_050);
    expect(codec.fromSource('0.1')).toBe(10);
    const wide = minorUnitsCodec(column('numeric(12,3)'))!;
    expect(wide.fromSource('1.005')).toBe(101);
    expect(wide.fromSource('1.004')).toBe(100);
    expect(wide.toSource(101)).toBe('1.01');
  });

  it('leaves integer columns alone (they hold minor units)', () => {
    expect(minorUnitsCodec(column('int', 'integer'))).toBeUndefined();
  });
});
