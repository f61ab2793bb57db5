import { BadRequestException } from '@nestjs/common';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('takes a bare key and the draft’s quoted structured-field form as the same key', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5"')).toBe('8e03978e-40d5');
  });

  it.each([
    ['empty', ''],
    ['an empty quoted string', '""'],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not printable ASCII', 'caf\u00e9'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s with 400 naming the header', (_label, header) => {
    expect(() => parseIdempotencyKey(header)).toThrow(BadRequestException);
    try {
      parseIdempotencyKey(header);
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ details: [{ field: 'headers.idempotency-key' }] });
    }
  });

  it('accepts exactly 255 printable characters and refuses a repeated header', () => {
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(BadRequestException);
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same body in another key order, and differs for another body, path or method', () => {
    const base = requestFingerprint('POST', '/api/notes', { body: 'x', pinned: { a: 1, b: [2, 3] } });
    expect(requestFingerprint('post', '/api/notes', { pinned: { b: [2, 3], a: 1 }, body: 'x' })).toEqual(base);
    expect(requestFingerprint('POST', '/api/notes', { body: 'y', pinned: { a: 1, b: [2, 3] } })).not.toEqual(base);
    expect(requestFingerprint('POST', '/api/accounts', { body: 'x', pinned: { a: 1, b: [2, 3] } })).not.toEqual(base);
    expect(requestFingerprint('PUT', '/api/notes', { body: 'x', pinned: { a: 1, b: [2, 3] } })).not.toEqual(base);
  });

  it('keeps array order significant and tells no body from an empty one', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson(undefined)).not.toBe(canonicalJson({}));
  });
});
