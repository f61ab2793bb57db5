/**
 * Gathers writes that arrive while one is in flight into one batch: the first goes at once, and
 * whatever arrives meanwhile goes together next, so under load many writes share one round trip
 * and when idle none waits. `write` answers one result per item, in order; if it throws, every
 * item of that batch rejects with its error.
 */
export class WriteBatcher<T, R> {
  private readonly waiting: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private flushing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: T): Promise<R> {
    const result = new Promise<R>((resolve, reject) => this.waiting.push({ item, resolve, reject }));
    if (!this.flushing) void this.flush();
    return result;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((entry) => entry.item));
          batch.forEach((entry, i) => entry.resolve(results[i]));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      // Set in the same synchronous step as the last check of `waiting`: an item added later starts a flush of its own.
      this.flushing = false;
    }
  }
}
