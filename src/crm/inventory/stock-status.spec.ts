import { MovementKind } from './entities/inventory-movement.entity';
import { statusAfterMovement, statusRuleWithoutReservations } from './stock-status';

describe('statusAfterMovement', () => {
  it('makes an item sold when a sale empties it', () => {
    expect(statusAfterMovement('sell', 'available', 0, 0)).toBe('sold');
  });

  it('makes a sold item available again when stock arrives', () => {
    expect(statusAfterMovement('receive', 'sold', 3, 0)).toBe('available');
  });

  it('makes an item reserved when every unit on hand is reserved, and available when some are free', () => {
    expect(statusAfterMovement('reserve', 'available', 2, 2)).toBe('reserved');
    expect(statusAfterMovement('release', 'reserved', 2, 1)).toBe('available');
  });

  it('leaves the status of an empty item alone unless a sale emptied it', () => {
    expect(statusAfterMovement('adjust', 'available', 0, 0)).toBe('available');
    expect(statusAfterMovement('adjust', 'sold', 0, 0)).toBe('sold');
  });

  it('keeps an archived item archived whatever its stock', () => {
    expect(statusAfterMovement('receive', 'archived', 5, 0)).toBe('archived');
    expect(statusAfterMovement('sell', 'archived', 0, 0)).toBe('archived');
  });
});

describe('statusRuleWithoutReservations', () => {
  /** The value the rule's first holding case gives, or the current status when none holds (as the statement's CASE does). */
  function applied(kind: MovementKind, current: string, stock: number): unknown {
    const holds = {
      '>': (a: number, b: number) => a > b,
      '>=': (a: number, b: number) => a >= b,
      '<': (a: number, b: number) => a < b,
      '<=': (a: number, b: number) => a <= b,
      '=': (a: number, b: number) => a === b,
    };
    return statusRuleWithoutReservations(kind).find(({ when }) => holds[when.op](stock, when.value))?.value ?? current;
  }

  it('gives the status statusAfterMovement gives, for every kind, status a movement may meet, and stock level', () => {
    for (const kind of ['receive', 'sell', 'adjust'] as const)
      for (const current of ['available', 'reserved', 'sold'] as const)
        for (const stock of [0, 1, 2, 7])
          expect([kind, current, stock, applied(kind, current, stock)]).toEqual([
            kind,
            current,
            stock,
            statusAfterMovement(kind, current, stock, 0),
          ]);
  });
});
