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
 * process (the change feed invalidates it), without a control-plane query per request. A load
 * during which something was forgotten is not cached: what it read may predate the change.
 */
export class MembershipCache {
  private readonly cache: LRUCache<string, { access: TenantAccess | null }>;
  /** Bumped by everything that forgets. */
  private generation = 0;

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
    const generation = this.generation;
    const access = await this.load(userId, tenantId);
    if (generation === this.generation) this.cache.set(key, { access });
    return access;
  }

  forgetMembership(userId: string, tenantId: string): void {
    this.generation += 1;
    this.cache.delete(`${userId}:${tenantId}`);
  }

  forgetUser(userId: string): void {
    this.generation += 1;
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:`)) this.cache.delete(key);
  }

  forgetTenant(tenantId: string): void {
    this.generation += 1;
    for (const key of this.cache.keys()) if (key.endsWith(`:${tenantId}`)) this.cache.delete(key);
  }

  forgetAll(): void {
    this.generation += 1;
    this.cache.clear();
  }
}
