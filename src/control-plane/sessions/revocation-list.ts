import { Injectable } from '@nestjs/common';

/** What the revocation check needs to know about an access token. */
export interface TokenSession {
  /** The `sid` claim: the refresh-token family the token was issued from. */
  sessionId: string;
  userId: string;
  tenantId?: string;
  /** The token's `iat`, in milliseconds since the epoch. */
  issuedAt: number;
}

/** One revocation: tokens of the scope it names issued at or before `revokedBefore` (ms since the epoch) are refused. */
export interface RevocationEntry {
  sessionId: string | null;
  userId: string | null;
  tenantId: string | null;
  revokedBefore: number;
}

/**
 * This process's copy of the live revocations (session_revocations), checked on every
 * authenticated request: at most four Map lookups, no I/O. RevocationFeed keeps it current.
 * Entries only ever widen (a later instant for the same scope wins) until pruned, so applying
 * the same revocation twice, or a reload racing a notification, is harmless.
 */
@Injectable()
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private readonly usersInTenants = new Map<string, number>();
  private readonly tenants = new Map<string, number>();

  isRevoked({ sessionId, userId, tenantId, issuedAt }: TokenSession): boolean {
    if (revokedAt(this.sessions, sessionId, issuedAt) || revokedAt(this.users, userId, issuedAt)) return true;
    if (tenantId === undefined) return false;
    return revokedAt(this.tenants, tenantId, issuedAt) || revokedAt(this.usersInTenants, `${userId}:${tenantId}`, issuedAt);
  }

  /** Whether one session alone was revoked after `issuedAt` (an API key's revocation names the key as its session). */
  isSessionRevoked(sessionId: string, issuedAt: number): boolean {
    return revokedAt(this.sessions, sessionId, issuedAt);
  }

  add(entry: RevocationEntry): void {
    const [map, key] = this.scopeOf(entry);
    const current = map.get(key);
    if (current === undefined || current < entry.revokedBefore) map.set(key, entry.revokedBefore);
  }

  /** Forgets revocations from before `cutoff`: every token they could refuse has expired by then. */
  prune(cutoff: number): void {
    for (const map of [this.sessions, this.users, this.usersInTenants, this.tenants]) {
      for (const [key, revokedBefore] of map) if (revokedBefore < cutoff) map.delete(key);
    }
  }

  get size(): number {
    return this.sessions.size + this.users.size + this.usersInTenants.size + this.tenants.size;
  }

  private scopeOf({ sessionId, userId, tenantId }: RevocationEntry): [Map<string, number>, string] {
    if (sessionId) return [this.sessions, sessionId];
    if (userId && tenantId) return [this.usersInTenants, `${userId}:${tenantId}`];
    if (userId) return [this.users, userId];
    if (tenantId) return [this.tenants, tenantId];
    throw new Error('A revocation names a session, a user or a tenant');
  }
}

function revokedAt(map: Map<string, number>, key: string, issuedAt: number): boolean {
  const revokedBefore = map.get(key);
  return revokedBefore !== undefined && issuedAt <= revokedBefore;
}
