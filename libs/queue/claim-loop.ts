/** What a ClaimLoop claims with and works on. */
export interface ClaimLoopOptions<T> {
  /** Most items being worked on at once. */
  concurrency: number;
  /** How often it looks for claimable items when nothing woke it. */
  pollingIntervalMs: number;
  /**
   * How long a wake waits before it claims, gathering the wakes that follow into one claim: a
   * stream of small commits, or of items ending one by one, costs one claim per interval, not one
   * per wake. It adds at most this much to an item's wait.
   */
  gatherMs: number;
  /** Claims up to `limit` items (they are this loop's to work on from then on). */
  claim: (limit: number) => Promise<T[]>;
  work: (item: T) => Promise<void>;
  /** Told of a failed claim or a work that threw; the loop goes on. */
  onError: (error: unknown) => void;
}

/**
 * Keeps up to `concurrency` claimed items being worked on: it claims as many as it has room for
 * when woken (`wake`), at every poll, and when an item ends while the last claim came back full (so
 * more may be waiting), `gatherMs` after the first of a run of wakes. One claim runs at a time; a
 * wake during a claim claims again after it. A claim that found fewer items than it had room for
 * means nothing more is due: the loop then waits for a wake or the next poll rather than asking
 * again after every item.
 */
export class ClaimLoop<T> {
  private inFlight = 0;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private lastClaimFull = false;
  private stopped = false;
  private poll: NodeJS.Timeout | undefined;
  private gathering: NodeJS.Timeout | undefined;
  private readonly working = new Set<Promise<void>>();

  constructor(private readonly options: ClaimLoopOptions<T>) {}

  start(): void {
    this.poll = setInterval(() => this.wake(), this.options.pollingIntervalMs);
    this.poll.unref();
    this.wake();
  }

  /** Claims what there is room for soon (after `gatherMs`), rather than at the next poll. */
  wake(): void {
    if (this.stopped || this.gathering) return;
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      this.claim();
    }, this.options.gatherMs);
  }

  private claim(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileRoom()
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.claiming = undefined;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.claim();
        }
      });
  }

  /** Claims nothing more and waits for the items being worked on. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.gathering);
    await this.claiming;
    await Promise.all(this.working);
  }

  private async claimWhileRoom(): Promise<void> {
    for (let room = this.room(); room > 0 && !this.stopped; room = this.room()) {
      const items = await this.options.claim(room);
      this.lastClaimFull = items.length === room;
      for (const item of items) this.startWork(item);
      if (!this.lastClaimFull) return;
    }
  }

  private room(): number {
    return this.options.concurrency - this.inFlight;
  }

  private startWork(item: T): void {
    this.inFlight += 1;
    const work = this.options
      .work(item)
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.inFlight -= 1;
        this.working.delete(work);
        if (this.lastClaimFull) this.wake();
      });
    this.working.add(work);
  }
}
