import { Condition, ListedRow, MappedCollection } from './mapped-collection';

/**
 * Every row of `collection` matching `conditions`, in pages of `pageSize` in the order of `sortField`
 * (ties broken by key), each page read only once the previous one was handled: a table of any size
 * is never held in memory at once.
 */
export async function* collectionPages(
  collection: MappedCollection,
  options: { sortField: string; conditions?: Condition[]; pageSize: number },
): AsyncGenerator<ListedRow[]> {
  let after: ListedRow['position'] | undefined;
  for (;;) {
    const page = await collection.list({
      conditions: options.conditions ?? [],
      sort: { field: options.sortField, direction: 'ASC' },
      after,
      limit: options.pageSize,
    });
    if (page.length === 0) return;
    yield page;
    if (page.length < options.pageSize) return;
    after = page[page.length - 1].position;
  }
}
