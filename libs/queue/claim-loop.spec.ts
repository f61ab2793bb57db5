import { ClaimLoop } from './claim-loop';

/** A source of numbered items the test releases by hand, and works the test ends by hand. */
function harness(available: number, { gatherMs = 0, claimMs = 0 } = {}) {
  let next = 0;
  const claims: number[] = [];
  const working = new Map<number, () => void>();
  const loop = new ClaimLoop<number>({
    concurrency: 3,
    pollingIntervalMs: 60_000,
    gatherMs,
    claim: async (limit) => {
      claims.push(limit);
      const items: number[] = [];
      while (items.length < limit && next < available) items.push((next += 1));
      await new Promise((resolve) => setTimeout(resolve, claimMs));
      return items;
    },
    work: (item) => new Promise<void>((resolve) => working.set(item, resolve)),
    onError: (error) => {
      throw error;
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  const finish = async (item: number) => {
    working.get(item)?.();
    working.delete(item);
    await settle();
  };
  const start = async () => {
    loop.start();
    await settle();
  };
  return { loop, start, claims, working, settle, finish, addItems: (count: number) => (available += count) };
}

describe('ClaimLoop', () => {
  it('claims as many items as it has room for and works them side by side', async () => {
    const { loop, start, claims, working, finish } = harness(3);
    await start();

    expect(claims).toEqual([3]);
    expect([...working.keys()]).toEqual([1, 2, 3]);
    for (const item of [1, 2, 3]) await finish(item);
    await loop.stop();
  });

  it('after a full claim, claims again as soon as an item ends (more may be waiting)', async () => {
    const { loop, start, claims, working, finish } = harness(4);
    await start();
    await finish(1);

    expect(claims).toEqual([3, 1]);
    expect([...working.keys()]).toEqual([2, 3, 4]);
    for (const item of [2, 3, 4]) await finish(item);
    await loop.stop();
  });

  it('after a claim that found less than it had room for, waits for a wake instead of asking after every item', async () => {
    const { loop, start, claims, finish, addItems, working, settle } = harness(2);
    await start();
    await finish(1);
    await finish(2);
    expect(claims).toEqual([3]);

    addItems(1);
    loop.wake();
    await settle();
    expect(claims).toEqual([3, 3]);
    expect([...working.keys()]).toEqual([3]);
    await finish(3);
    await loop.stop();
  });

  it('claims again after a claim in flight when woken during it, and claims nothing once stopped', async () => {
    const { loop, claims, working, finish, addItems } = harness(1, { claimMs: 30 });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    addItems(1);
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 100));
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
    const { loop, claims, working, settle, finish, addItems } = harness(0, { gatherMs: 50 });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    addItems(2);
    loop.wake();
    await settle();
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 80));

    expect(claims).toEqual([3, 3]);
    expect([...working.keys()]).toEqual([1, 2]);
    for (const item of [1, 2]) await finish(item);
    await loop.stop();
  });
});
