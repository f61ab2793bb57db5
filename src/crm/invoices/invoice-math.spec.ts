import { AmountTooLargeError, lineAmounts, normalizeDecimal, parseQuantity, parseTaxRate, totals } from './invoice-math';

describe('invoice arithmetic', () => {
  it('reads decimal quantities and rates exactly, refusing anything a float would blur', () => {
    expect(parseQuantity('0.1')).toBe(100n);
    expect(parseQuantity('2')).toBe(2000n);
    expect(parseQuantity('1.005')).toBe(1005n);
    expect(parseQuantity('0.30000000000000004')).toBeNull();
    expect(parseQuantity('1e3')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseTaxRate('7.5')).toBe(750n);
    expect(parseTaxRate('100')).toBe(10_000n);
    expect(parseTaxRate('100.01')).toBeNull();
    expect(parseTaxRate('19.999')).toBeNull();
  });

  it('adds 0.1 and 0.2 of a unit exactly', () => {
    const lines = [
      lineAmounts({ quantity: '0.1', unitPriceMinor: 1000, taxRate: '0' }),
      lineAmounts({ quantity: '0.2', unitPriceMinor: 1000, taxRate: '0' }),
    ];
    expect(totals(lines)).toEqual({ subtotalMinor: 300, taxMinor: 0, totalMinor: 300 });
  });

  it('rounds each line half up to the minor unit, and sums the rounded lines', () => {
    expect(lineAmounts({ quantity: '0.5', unitPriceMinor: 1, taxRate: '0' })).toEqual({ netMinor: 1, taxMinor: 0 });
    expect(lineAmounts({ quantity: '0.333', unitPriceMinor: 1000, taxRate: '19' })).toEqual({ netMinor: 333, taxMinor: 63 });
    expect(lineAmounts({ quantity: '1', unitPriceMinor: 250, taxRate: '7' })).toEqual({ netMinor: 250, taxMinor: 18 });
    expect(lineAmounts({ quantity: '1', unitPriceMinor: 50, taxRate: '1' })).toEqual({ netMinor: 50, taxMinor: 1 });
    expect(lineAmounts({ quantity: '1', unitPriceMinor: 49, taxRate: '1' })).toEqual({ netMinor: 49, taxMinor: 0 });
  });

  it('keeps a thousand awkward lines exact', () => {
    const lines = Array.from({ length: 1000 }, () => lineAmounts({ quantity: '0.1', unitPriceMinor: 33, taxRate: '7.5' }));
    expect(lines[0]).toEqual({ netMinor: 3, taxMinor: 0 });
    expect(totals(lines)).toEqual({ subtotalMinor: 3000, taxMinor: 0, totalMinor: 3000 });
  });

  it('refuses totals that could not be stored exactly', () => {
    expect(() => totals([{ netMinor: Number.MAX_SAFE_INTEGER, taxMinor: 1 }])).toThrow(AmountTooLargeError);
  });

  it('prints stored decimals without trailing zeros', () => {
    expect(normalizeDecimal('1.500')).toBe('1.5');
    expect(normalizeDecimal('19.00')).toBe('19');
    expect(normalizeDecimal('10')).toBe('10');
  });
});
