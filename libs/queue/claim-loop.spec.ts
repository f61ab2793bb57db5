import { ClaimLoop } from './claim-loop';

/** Waits until `condition` holds (the loop's timers and promises have run), failing after a second. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 1_000; !condition();) {
    if (Date.now() > deadline) throw new Error('the loop did not get there within a second');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source of numbered items the test makes available, and works the test ends by hand. */
function harness(available: number, { gatherMs = 0, claimMs = 0 } = {}) {
  let next = 0;
  let claimsInFlight = 0;
  const claims: number[] = [];
  const working = new Map<number, () => void>();
  const loop = new ClaimLoop<number>({
    concurrency: 3,
    pollingIntervalMs: 60_000,
    gatherMs,
    claim: async (limit) => {
      claims.push(limit);
      claimsInFlight += 1;
      const items: number[] = [];
      while (items.length < limit && next < available) items.push((next += 1));
      await pause(claimMs);
      claimsInFlight -= 1;
      return items;
    },
    work: (item) => new Promise<void>((resolve) => working.set(item, resolve)),
    onError: (error) => {
      throw error;
    },
  });
  /** Ends an item's work; returns once the loop has taken note (it may claim again meanwhile). */
  const finish = async (item: number) => {
    const end = working.get(item);
    if (!end) throw new Error(`item ${item} is not being worked on`);
    working.delete(item);
    end();
    await pause(gatherMs + 5);
    await until(() => claimsInFlight === 0);
  };
  return { loop, claims, working, finish, addItems: (count: number) => (available += count) };
}

describe('ClaimLoop', () => {
  it('claims as many items as it has room for and works them side by side', async () => {
    const { loop, claims, working, finish } = harness(3);
    loop.start();
    await until(() => working.size === 3);

    expect(claims).toEqual([3]);
    expect([...working.keys()]).toEqual([1, 2, 3]);
    for (const item of [1, 2, 3]) await finish(item);
    await loop.stop();
  });

  it('after a full claim, claims again as soon as an item ends (more may be waiting)', async () => {
    const { loop, claims, working, finish } = harness(4);
    loop.start();
    await until(() => working.size === 3);
    await finish(1);
    await until(() => working.has(4));

    expect(claims).toEqual([3, 1]);
    expect([...working.keys()]).toEqual([2, 3, 4]);
    for (const item of [2, 3, 4]) await finish(item);
    await loop.stop();
  });

  it('after a claim that found less than it had room for, waits for a wake instead of asking after every item', async () => {
    const { loop, claims, finish, addItems, working } = harness(2);
    loop.start();
    await until(() => working.size === 2);
    await finish(1);
    await finish(2);
    await pause(20);
    expect(claims).toEqual([3]);

    addItems(1);
    loop.wake();
    await until(() => working.has(3));
    expect(claims).toEqual([3, 3]);
    await finish(3);
    await loop.stop();
  });

  it('claims again after a claim in flight when woken during it, and claims nothing once stopped', async () => {
    const { loop, claims, working, finish, addItems } = harness(1, { claimMs: 30 });
    loop.start();
    await until(() => claims.length === 1);
    addItems(1);
    loop.wake();
    await until(() => working.has(2));
    expect(claims).toEqual([3, 2]);
    await finish(1);

    const stopped = loop.stop();
    loop.wake();
    await finish(2);
    await stopped;
    expect(claims).toEqual([3, 2]);
    expect(working.size).toBe(0);
  });

  it('gathers the wakes of a short while into one claim', async () => {
    const { loop, claims, working, finish, addItems } = harness(0, { gatherMs: 50 });
    loop.start();
    await until(() => claims.length === 1);
    addItems(2);
    loop.wake();
    await pause(10);
    loop.wake();
    await until(() => working.size === 2);
    await pause(60);

    expect(claims).toEqual([3, 3]);
    expect([...working.keys()]).toEqual([1, 2]);
    for (const item of [1, 2]) await finish(item);
    await loop.stop();
  });
});
