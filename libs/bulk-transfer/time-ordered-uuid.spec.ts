import { isUUID } from 'class-validator';
import { timeOrderedUuid } from './time-ordered-uuid';

describe('timeOrderedUuid', () => {
  it('makes version 7 UUIDs carrying the time they were made', () => {
    const before = Date.now();
    const id = timeOrderedUuid();
    expect(isUUID(id)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('sorts ids in the order they were made, distinct, also past 4,096 in one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
