/** What one process counted for one tenant on one UTC day since its last flush. */
export interface BufferedUsage {
  tenantId: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  apiCalls: number;
  writes: number;
  userIds: Set<string>;
}

/**
 * Request counts held in memory between flushes, one entry per tenant and day, so counting a
 * request is a map update and never a query. Bounded: once `maxEntries` tenant-days are held
 * (flushes have been failing for a while), counts of further tenant-days are dropped, and how many
 * were is reported by `takeDropped` so the flusher can warn.
 */
export class UsageBuffer {
  private entries = new Map<string, BufferedUsage>();
  private dropped = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  record(tenantId: string, day: string, write: boolean, userId: string | undefined): void {
    const entry = this.entryFor(tenantId, day);
    if (!entry) {
      this.dropped += 1;
      return;
    }
    entry.apiCalls += 1;
    if (write) entry.writes += 1;
    if (userId) entry.userIds.add(userId);
  }

  /** Calls of a tenant on a day counted since the last drain (what a flush has not saved yet). */
  apiCallsOf(tenantId: string, day: string): number {
    return this.entries.get(`${tenantId}/${day}`)?.apiCalls ?? 0;
  }

  /** Everything counted so far, leaving the buffer empty for the requests that come meanwhile. */
  drain(): BufferedUsage[] {
    const batch = [...this.entries.values()];
    this.entries = new Map();
    return batch;
  }

  /** Takes back a batch whose flush failed, merged with what was counted since, so the next flush carries it. */
  restore(batch: readonly BufferedUsage[]): void {
    for (const usage of batch) {
      const entry = this.entryFor(usage.tenantId, usage.day);
      if (!entry) {
        this.dropped += usage.apiCalls;
        continue;
      }
      entry.apiCalls += usage.apiCalls;
      entry.writes += usage.writes;
      for (const userId of usage.userIds) entry.userIds.add(userId);
    }
  }

  /** How many requests went uncounted for lack of room since the last call. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  private entryFor(tenantId: string, day: string): BufferedUsage | undefined {
    const key = `${tenantId}/${day}`;
    let entry = this.entries.get(key);
    if (!entry && this.entries.size < this.maxEntries) {
      entry = { tenantId, day, apiCalls: 0, writes: 0, userIds: new Set() };
      this.entries.set(key, entry);
    }
    return entry;
  }
}
