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
 * reference share one load. Unknown references are not cached, nor is a load during which an
 * invalidation came: what it read may predate the change.
 */
export class TenantDirectoryCache {
  private readonly cache: LRUCache<string, TenantRecord>;
  private readonly loading = new Map<string, Promise<TenantRecord | null>>();
  /** Bumped by every invalidation. */
  private generation = 0;
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
    const loading = this.loading.get(reference);
    if (loading) return loading;
    const generation = this.generation;
    const pending: Promise<TenantRecord | null> = this.load(reference)
      .then((record) => {
        if (record && generation === this.generation) this.cache.set(reference, record);
        return record;
      })
      .finally(() => {
        if (this.loading.get(reference) === pending) this.loading.delete(reference);
      });
    this.loading.set(reference, pending);
    return pending;
  }

  /** Forgets a tenant under every reference it was cached by (id and slug). */
  invalidate(tenantId: string): void {
    this.forgetLoads();
    for (const [reference, record] of this.cache.entries()) {
      if (record.id === tenantId) this.cache.delete(reference);
    }
  }

  /** Forgets every tenant: changes may have been missed. */
  clear(): void {
    this.forgetLoads();
    this.cache.clear();
  }

  /** Loads in flight may have read the old state: later finds start their own, and none of them is cached. */
  private forgetLoads(): void {
    this.generation += 1;
    this.loading.clear();
  }

  stats() {
    return { entries: this.cache.size, hits: this.hits, misses: this.misses };
  }
}
