import { storableInJsonb } from './storable-in-jsonb';

describe('storableInJsonb', () => {
  it('replaces NUL and unpaired surrogates with U+FFFD in strings and keys, at any depth', () => {
    const value = { name: 'a\u0000b', nested: [{ 'k\u0000': '\ud800x' }], low: 'x\udc00' };
    expect(storableInJsonb(value)).toEqual({ name: 'a\ufffdb', nested: [{ 'k\ufffd': '\ufffdx' }], low: 'x\ufffd' });
  });

  it('returns a value holding neither as it is, surrogate pairs and an escaped backslash-u0000 included', () => {
    const value = { emoji: 'smile \ud83d\ude00', path: 'C:\\u0000', count: 3, nothing: null };
    expect(storableInJsonb(value)).toBe(value);
  });
});
