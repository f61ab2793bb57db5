import { detectChanges, earlierSourceTime, nameBasedUuid, rowFingerprint, sourceTimeMillis } from './change-detection';

describe('rowFingerprint', () => {
  it('does not depend on the order of the fields, but tells a number from its text', () => {
    expect(rowFingerprint({ a: 1, b: 'x' })).toEqual(rowFingerprint({ b: 'x', a: 1 }));
    expect(rowFingerprint({ a: 1 }).fingerprint).not.toBe(rowFingerprint({ a: '1' }).fingerprint);
  });

  it('treats a missing value and null alike, and keeps only hashes', () => {
    expect(rowFingerprint({ a: null }).fingerprint).toBe(rowFingerprint({ a: undefined }).fingerprint);
    expect(JSON.stringify(rowFingerprint({ secret: 'tell-nobody' }))).not.toContain('tell-nobody');
  });
});

describe('detectChanges', () => {
  const row = (key: string, record: Record<string, unknown>) => ({ key, record, fingerprint: rowFingerprint(record) });

  it('finds new keys as created, changed fingerprints as updated naming the changed fields, and ignores unchanged rows', () => {
    const earlier = new Map([
      ['1', rowFingerprint({ id: 1, name: 'Ada', email: 'a@x' })],
      ['2', rowFingerprint({ id: 2, name: 'Alan', email: 'b@x' })],
    ]);
    const changes = detectChanges(
      [row('1', { id: 1, name: 'Ada', email: 'a@y' }), row('2', { id: 2, name: 'Alan', email: 'b@x' }), row('3', { id: 3, name: 'Grace' })],
      earlier,
    );
    expect(changes.map(({ key, kind, changedFields }) => ({ key, kind, changedFields }))).toEqual([
      { key: '1', kind: 'updated', changedFields: ['email'] },
      { key: '3', kind: 'created', changedFields: [] },
    ]);
  });
});

describe('earlierSourceTime', () => {
  it('moves a MySQL DATETIME back, keeping its form (fraction truncated, so never later)', () => {
    expect(earlierSourceTime('2026-12-05 10:02:30', 120_000)).toBe('2026-12-05 10:00:30');
    expect(earlierSourceTime('2026-12-05 10:02:30.123', 120_000)).toBe('2026-12-05 10:00:30.000');
  });

  it('keeps a PostgreSQL zone suffix, crosses midnight, and reads a Date', () => {
    expect(earlierSourceTime('2026-01-01 00:01:00.123456+00', 120_000)).toBe('2025-12-31 23:59:00.000000+00');
    expect(earlierSourceTime(new Date('2026-12-05T10:00:00Z'), 60_000)).toBe('2026-12-05T09:59:00.000Z');
  });

  it('moves a date back a whole day, and answers null for anything that is no timestamp', () => {
    expect(earlierSourceTime('2026-03-01', 120_000)).toBe('2026-02-28');
    expect(earlierSourceTime('yesterday', 1)).toBeNull();
    expect(earlierSourceTime(42, 1)).toBeNull();
  });
});

describe('sourceTimeMillis', () => {
  it('orders MySQL, PostgreSQL and date values of a source, an offset counted and a zone-less value taken as UTC', () => {
    expect(sourceTimeMillis('2026-12-06 20:17:00.123456')).toBe(Date.UTC(2026, 11, 6, 20, 17, 0, 123));
    expect(sourceTimeMillis('2026-12-06 21:17:00+01')).toBe(Date.UTC(2026, 11, 6, 20, 17));
    expect(sourceTimeMillis('2026-12-06 15:47:00-04:30')).toBe(Date.UTC(2026, 11, 6, 20, 17));
    expect(sourceTimeMillis('9999-12-31 23:59:59')).toBeGreaterThan(sourceTimeMillis('2026-12-06 20:17:00')!);
    expect(sourceTimeMillis('2026-12-06')).toBe(Date.UTC(2026, 11, 6));
    expect(sourceTimeMillis(new Date(0))).toBe(0);
    expect([sourceTimeMillis('yesterday'), sourceTimeMillis(42), sourceTimeMillis(null)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('nameBasedUuid', () => {
  it('is a stable version-5 UUID of its name (RFC 9562 test vector)', () => {
    // The DNS namespace and "www.example.com", as in RFC 9562 appendix A.4.
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'other')).not.toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
