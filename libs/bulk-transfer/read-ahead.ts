/**
 * The items of `source`, the next one already being produced while the caller works on the
 * current one: a producer that computes (parsing, checking) overlaps a consumer that waits (writing).
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      // Should the consumer stop, the item in flight fails unheard rather than unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}
