import { FieldCodec, FieldTranslation } from './mapped-collection';
import { EntityMapping } from './mapping-validation';
import { InexactSourceValueError, UnstorableValueError } from './value-errors';

const mapping = (fallback?: string): EntityMapping => ({
  table: 'vehicles',
  fields: { status: 'state', price: 'amount' },
  valueMaps: { status: { available: 'in_stock', sold: 'gone', ...(fallback ? { '*': fallback } : {}) } },
});

describe('FieldTranslation of a value-mapped field', () => {
  it('reads a source value outside the map as unmapped, and as the fallback when the map declares one', () => {
    expect(new FieldTranslation(mapping()).fromSource('status', 'gone')).toBe('sold');
    expect(new FieldTranslation(mapping()).fromSource('status', 'in_transit')).toBe('unmapped');
    expect(new FieldTranslation(mapping('sold')).fromSource('status', 'in_transit')).toBe('sold');
    expect(new FieldTranslation(mapping()).fromSource('status', null)).toBeNull();
  });

  it('refuses to write unmapped, the fallback key or any value the map has no source value for, naming the field', () => {
    const translation = new FieldTranslation(mapping('sold'));
    expect(translation.toSource('status', 'available')).toBe('in_stock');
    expect(() => translation.toSource('status', 'unmapped')).toThrow(UnstorableValueError);
    expect(() => translation.toSource('status', 'unmapped')).toThrow(/^status unmapped stands for source values outside/);
    expect(() => translation.toSource('status', '*')).toThrow(/has no value in the tenant's value map/);
  });

  it('selects unknown source values for an unmapped filter, and with them the fallback’s own value', () => {
    expect(new FieldTranslation(mapping()).sourceMatch('status', 'unmapped')).toEqual({
      values: [],
      unknown: true,
      known: ['in_stock', 'gone'],
    });
    expect(new FieldTranslation(mapping('sold')).sourceMatch('status', 'sold')).toEqual({
      values: ['gone'],
      unknown: true,
      known: ['in_stock', 'gone'],
    });
    expect(new FieldTranslation(mapping('sold')).sourceMatch('status', 'unmapped')).toMatchObject({ values: [], unknown: false });
    expect(new FieldTranslation(mapping()).sourceMatch('price', 5)).toBeUndefined();
  });

  it('names the field of a codec’s refusal in either direction', () => {
    const strict: FieldCodec = {
      toSource: () => {
        throw new UnstorableValueError('cannot be stored exactly');
      },
      fromSource: () => {
        throw new InexactSourceValueError('is finer than cents');
      },
    };
    const translation = new FieldTranslation(mapping(), { price: strict });
    expect(() => translation.toSource('price', 1)).toThrow(
      expect.objectContaining({ field: 'price', problem: 'cannot be stored exactly' }),
    );
    expect(() => translation.fromSource('price', '1.005')).toThrow(expect.objectContaining({ field: 'price' }));
  });
});
