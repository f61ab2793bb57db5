import { refusal, stockChange } from './stock-levels';

describe('stock levels', () => {
  it('moves stock on hand for receive, sell and adjust, and reservations for reserve and release', () => {
    expect(stockChange('receive', 5)).toEqual({ stockDelta: 5, reservedDelta: 0 });
    expect(stockChange('sell', 2)).toEqual({ stockDelta: -2, reservedDelta: 0 });
    expect(stockChange('adjust', -3)).toEqual({ stockDelta: -3, reservedDelta: 0 });
    expect(stockChange('reserve', 4)).toEqual({ stockDelta: 0, reservedDelta: 4 });
    expect(stockChange('release', 1)).toEqual({ stockDelta: 0, reservedDelta: -1 });
  });

  it('refuses to sell or reserve reserved units, and explains with the levels', () => {
    expect(refusal('sell', 3, 5, 2)).toBeNull();
    expect(refusal('sell', 4, 5, 2)).toBe('Not enough stock to sell 4: 3 available (5 on hand, 2 reserved)');
    expect(refusal('reserve', 4, 5, 2)).toBe('Not enough stock to reserve 4: 3 available (5 on hand, 2 reserved)');
  });

  it('refuses a release beyond the reservations and an adjustment below them', () => {
    expect(refusal('release', 3, 5, 2)).toBe('Cannot release 3: only 2 reserved');
    expect(refusal('adjust', -4, 5, 2)).toBe('Cannot adjust by -4: 5 on hand, 2 of them reserved');
    expect(refusal('adjust', -3, 5, 2)).toBeNull();
  });
});
