import { LRUCache } from 'lru-cache';
import { TenantRecord } from './tenant-context';

export interface TenantDirectoryCacheOptions {
  /** The longest an entry is trusted: a safety net behind invalidation, which changes push to every process. */
  ttlMs: number;
  maxEntries: number;
}

export type TenantLoader = (reference: string) => Promise<TenantRecord | null>;

/**
 * Tenant metadata in front of the control plane, keyed by id or slug. Concurrent misses for one
 * reference share one load. Unknown references are not cached.
 */
export class TenantDirectoryCache {
  private readonly cache: LRUCache<string, TenantRecord>;
  private readonly loading = new Map<string, Promise<TenantRecord | null>>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly load: TenantLoader,
    options: TenantDirectoryCacheOptions,
  ) {
    this.cache = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs });
  }

  async find(reference: string): Promise<TenantRecord | null> {
    const cached = this.cache.get(reference);
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    let pending = this.loading.get(reference);
    if (!pending) {
      pending = this.load(reference).finally(() => this.loading.delete(reference));
      this.loading.set(reference, pending);
    }
    const record = await pending;
    if (record) this.cache.set(reference, record);
    return record;
  }

  /** Forgets a tenant under every reference it was cached by (id and slug). */
  invalidate(tenantId: string): void {
    for (const [reference, record] of this.cache.entries()) {
      if (record.id === tenantId) this.cache.delete(reference);
    }
  }

  /** Forgets every tenant: changes may have been missed. */
  clear(): void {
    this.cache.clear();
  }

  stats() {
    return { entries: this.cache.size, hits: this.hits, misses: this.misses };
  }
}
