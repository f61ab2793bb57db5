import { RevocationList, TokenSession } from './revocation-list';

const T = Date.parse('2026-11-24T10:00:00.500Z');
const token = (overrides: Partial<TokenSession> = {}): TokenSession => ({
  sessionId: 's1',
  userId: 'u1',
  tenantId: 't1',
  issuedAt: T - 1,
  ...overrides,
});
const entry = (scope: { sessionId?: string; userId?: string; tenantId?: string }, revokedBefore = T) => ({
  sessionId: scope.sessionId ?? null,
  userId: scope.userId ?? null,
  tenantId: scope.tenantId ?? null,
  revokedBefore,
});

describe('RevocationList', () => {
  it('refuses nothing while empty', () => {
    expect(new RevocationList().isRevoked(token())).toBe(false);
  });

  it('refuses every token of a revoked session and no other session', () => {
    const list = new RevocationList();
    list.add(entry({ sessionId: 's1' }));
    expect(list.isRevoked(token())).toBe(true);
    expect(list.isRevoked(token({ sessionId: 's2' }))).toBe(false);
  });

  it('refuses a revoked user’s tokens issued up to the revocation, in every tenant, and accepts those issued after', () => {
    const list = new RevocationList();
    list.add(entry({ userId: 'u1' }));
    expect(list.isRevoked(token({ issuedAt: T }))).toBe(true);
    expect(list.isRevoked(token({ tenantId: undefined }))).toBe(true);
    expect(list.isRevoked(token({ issuedAt: T + 1 }))).toBe(false);
    expect(list.isRevoked(token({ userId: 'u2' }))).toBe(false);
  });

  it('refuses a user in one tenant only there', () => {
    const list = new RevocationList();
    list.add(entry({ userId: 'u1', tenantId: 't1' }));
    expect(list.isRevoked(token())).toBe(true);
    expect(list.isRevoked(token({ tenantId: 't2' }))).toBe(false);
    expect(list.isRevoked(token({ tenantId: undefined }))).toBe(false);
    expect(list.isRevoked(token({ userId: 'u2' }))).toBe(false);
  });

  it('refuses every user of a revoked tenant, but not their tokens without a tenant', () => {
    const list = new RevocationList();
    list.add(entry({ tenantId: 't1' }));
    expect(list.isRevoked(token({ userId: 'u9' }))).toBe(true);
    expect(list.isRevoked(token({ tenantId: undefined }))).toBe(false);
    expect(list.isRevoked(token({ issuedAt: T + 1 }))).toBe(false);
  });

  it('keeps the later instant when a scope is revoked twice, in whichever order the two arrive', () => {
    const list = new RevocationList();
    list.add(entry({ userId: 'u1' }, T + 1000));
    list.add(entry({ userId: 'u1' }, T));
    expect(list.isRevoked(token({ issuedAt: T + 500 }))).toBe(true);
    expect(list.size).toBe(1);
  });

  it('prunes only revocations older than the cutoff', () => {
    const list = new RevocationList();
    list.add(entry({ sessionId: 's1' }, T));
    list.add(entry({ tenantId: 't1' }, T + 10));
    list.prune(T + 5);
    expect(list.isRevoked(token({ tenantId: undefined }))).toBe(false);
    expect(list.isRevoked(token())).toBe(true);
    expect(list.size).toBe(1);
  });

  it('refuses an entry that names no scope', () => {
    expect(() => new RevocationList().add(entry({}))).toThrow(/names a session/);
  });
});
