import { LRUCache } from 'lru-cache';

/** A member's role in a tenant and the permissions it grants. */
export interface TenantAccess {
  role: string;
  permissions: readonly string[];
}

export type AccessLoader = (userId: string, tenantId: string) => Promise<TenantAccess | null>;

/**
 * A user's active role and permissions in a tenant (null: none), checked on every tenant request
 * so that a removed member, a changed role or a disabled account loses access at once on every
 * process (the change feed invalidates it), without a control-plane query per request.
 */
export class MembershipCache {
  private readonly cache: LRUCache<string, { access: TenantAccess | null }>;

  constructor(
    private readonly load: AccessLoader,
    options: { ttlMs: number; maxEntries: number },
  ) {
    this.cache = new LRUCache({ max: options.maxEntries, ttl: Math.max(options.ttlMs, 1) });
  }

  async accessOf(userId: string, tenantId: string): Promise<TenantAccess | null> {
    const key = `${userId}:${tenantId}`;
    const cached = this.cache.get(key);
    if (cached) return cached.access;
    const access = await this.load(userId, tenantId);
    this.cache.set(key, { access });
    return access;
  }

  forgetMembership(userId: string, tenantId: string): void {
    this.cache.delete(`${userId}:${tenantId}`);
  }

  forgetUser(userId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:`)) this.cache.delete(key);
  }

  forgetTenant(tenantId: string): void {
    for (const key of this.cache.keys()) if (key.endsWith(`:${tenantId}`)) this.cache.delete(key);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
