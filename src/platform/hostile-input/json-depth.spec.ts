import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

describe('nestsDeeperThan', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('counts arrays and objects alike', () => {
    expect(nestsDeeperThan('[{"a":[{"b":[]}]}]', 5)).toBe(false);
    expect(nestsDeeperThan('[{"a":[{"b":[]}]}]', 4)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 10_000 }, () => ({ a: [1] }))), 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'say \\"[[[[\\" \\\\', next: '{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan('{"a\\"[[":{"b":1}}', 1)).toBe(true);
  });

  it('scans a body nested hundreds of thousands deep without overflowing the stack', () => {
    expect(nestsDeeperThan('['.repeat(500_000) + ']'.repeat(500_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('accepts scalars and empty text (the parser judges those)', () => {
    expect(nestsDeeperThan('"a"', 0)).toBe(false);
    expect(nestsDeeperThan('', 0)).toBe(false);
  });
});
