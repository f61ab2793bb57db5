import { WriteBatcher } from './write-batcher';

/** A write the test ends when it chooses, recording the batches it was given. */
function controlledWrite() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve) => pending.push(() => resolve(items.map((item) => `wrote ${item}`))));
  };
  const finishNext = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, finishNext };
}

describe('WriteBatcher', () => {
  it('writes the first item at once and the items that arrive meanwhile together, each answered with its own result', async () => {
    const { batches, write, finishNext } = controlledWrite();
    const batcher = new WriteBatcher(write, 100);

    const first = batcher.add(1);
    const later = [batcher.add(2), batcher.add(3)];
    expect(batches).toEqual([[1]]);
    await finishNext();
    expect(batches).toEqual([[1], [2, 3]]);
    await finishNext();

    expect(await first).toBe('wrote 1');
    expect(await Promise.all(later)).toEqual(['wrote 2', 'wrote 3']);
  });

  it('splits what waited into batches of at most maxBatch', async () => {
    const { batches, write, finishNext } = controlledWrite();
    const batcher = new WriteBatcher(write, 2);
    const all = [1, 2, 3, 4, 5, 6].map((item) => batcher.add(item));
    for (let i = 0; i < 4; i += 1) await finishNext();

    expect(batches).toEqual([[1], [2, 3], [4, 5], [6]]);
    expect(await Promise.all(all)).toHaveLength(6);
  });

  it('rejects only the items of a failed write, and writes later ones', async () => {
    let calls = 0;
    const batcher = new WriteBatcher(async (items: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      return items.map(String);
    }, 10);

    await expect(batcher.add(1)).rejects.toThrow('connection lost');
    expect(await batcher.add(2)).toBe('2');
  });

  it('starts a new write for an item added by the continuation of the last write', async () => {
    const batcher = new WriteBatcher(async (items: number[]) => items.map(String), 10);

    const chained = await batcher.add(1).then(() => batcher.add(2));

    expect(chained).toBe('2');
  });
});
