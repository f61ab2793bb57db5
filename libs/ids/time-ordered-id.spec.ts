import { validate, version } from 'uuid';
import { timeOrderedId } from './time-ordered-id';

const millisecondOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('timeOrderedId', () => {
  it('makes valid version 7 UUIDs, all distinct across many buffer refills', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts ids in the order they were made, within one millisecond as across several', async () => {
    const burst = Array.from({ length: 5_000 }, () => timeOrderedId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = timeOrderedId();
    const ids = [...burst, later];
    expect([...ids].sort()).toEqual(ids);
    expect(millisecondOf(later)).toBeGreaterThan(millisecondOf(burst[0]));
  });

  it('starts each id with the millisecond it was made', () => {
    const before = Date.now();
    const id = timeOrderedId();
    expect(millisecondOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondOf(id)).toBeLessThanOrEqual(Date.now());
  });
});
