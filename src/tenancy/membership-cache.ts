import { LRUCache } from 'lru-cache';

export type RoleLoader = (userId: string, tenantId: string) => Promise<string | null>;

/**
 * A user's active role in a tenant (null: none), checked on every tenant request so that a
 * removed member or disabled account loses tenant data at once on this process, and within
 * the TTL on others, without a control-plane query per request.
 */
export class MembershipCache {
  private readonly cache: LRUCache<string, { role: string | null }>;

  constructor(
    private readonly load: RoleLoader,
    options: { ttlMs: number; maxEntries: number },
  ) {
    this.cache = new LRUCache({ max: options.maxEntries, ttl: Math.max(options.ttlMs, 1) });
  }

  async roleOf(userId: string, tenantId: string): Promise<string | null> {
    const key = `${userId}:${tenantId}`;
    const cached = this.cache.get(key);
    if (cached) return cached.role;
    const role = await this.load(userId, tenantId);
    this.cache.set(key, { role });
    return role;
  }

  forgetMembership(userId: string, tenantId: string): void {
    this.cache.delete(`${userId}:${tenantId}`);
  }

  forgetUser(userId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:`)) this.cache.delete(key);
  }
}
