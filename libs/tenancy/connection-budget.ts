/** Thrown when no room could be made in the connection budget in time; the app answers 503. */
export class ConnectionBudgetExhaustedError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`No room in the connection budget for "${key}" after waiting ${waitedMs} ms`);
    this.name = 'ConnectionBudgetExhaustedError';
  }
}

interface BudgetWaiter {
  key: string;
  connections: number;
  since: number;
  grant: () => void;
  fail: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A count of reserved connections under a fixed limit, with a strictly FIFO queue of callers
 * waiting for room. It knows nothing about what holds the connections: when the head of the queue
 * does not fit it asks `makeRoom(shortfall)` to start freeing some (the owner evicts idle pools),
 * and it grants again whenever `free()` or `retry()` is called.
 */
export class ConnectionBudget {
  private reservedConnections = 0;
  private readonly queue: BudgetWaiter[] = [];
  waits = 0;
  timeouts = 0;

  constructor(
    private currentLimit: number,
    private readonly timeoutMs: number,
    private readonly makeRoom: (shortfall: number) => void,
  ) {}

  get reserved(): number {
    return this.reservedConnections;
  }

  get limit(): number {
    return this.currentLimit;
  }

  /** A new limit applies to the queue at once; connections above a lowered one are not taken back, only not granted again. */
  setLimit(limit: number): void {
    this.currentLimit = limit;
    this.grantWaiting();
  }

  /** Resolves once `connections` are reserved for `key`; rejects after `timeoutMs` (default: the budget's). */
  reserve(key: string, connections: number, timeoutMs = this.timeoutMs): Promise<void> {
    // Nobody may overtake callers already waiting, even if the newcomer would fit.
    if (this.queue.length === 0 && this.fits(connections)) {
      this.reservedConnections += connections;
      return Promise.resolve();
    }
    this.waits += 1;
    return new Promise<void>((resolve, reject) => {
      const waiter: BudgetWaiter = {
        key,
        connections,
        since: Date.now(),
        grant: resolve,
        fail: reject,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          this.timeouts += 1;
          reject(new ConnectionBudgetExhaustedError(key, Date.now() - waiter.since));
          // The next waiter may be smaller and fit where this one did not.
          this.grantWaiting();
        }, timeoutMs),
      };
      this.queue.push(waiter);
      this.grantWaiting();
    });
  }

  /** Returns connections that are really closed (or were never opened). */
  free(connections: number): void {
    this.reservedConnections -= connections;
    this.grantWaiting();
  }

  /** Room may now be makeable (a pool became idle): let the queue try again. */
  retry(): void {
    this.grantWaiting();
  }

  rejectAll(error: Error): void {
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.fail(error);
    }
  }

  private grantWaiting(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!this.fits(head.connections)) return;
      this.queue.shift();
      clearTimeout(head.timer);
      this.reservedConnections += head.connections;
      head.grant();
    }
  }

  /** True when `connections` fit now; otherwise asks the owner to start making room. */
  private fits(connections: number): boolean {
    const shortfall = this.reservedConnections + connections - this.limit;
    if (shortfall <= 0) return true;
    this.makeRoom(shortfall);
    return false;
  }
}
