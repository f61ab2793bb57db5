import { CounterChange } from './counter-change';
import { ListedRow, MappedCollection, MappedRecord, PageRequest } from './mapped-collection';

/** A write the customer's system confirmed, in our field names. */
export interface ConfirmedWrite {
  action: 'create' | 'update' | 'delete';
  /** The record's key in the customer's system, as text. */
  key: string;
  /** Created: the stored values. Changed: each sent field's new value (`to`), or a counter change (`by`, `to`) with the new value of each field following it. Deleted: none. */
  changes: Record<string, unknown>;
}

/**
 * A collection that reports every write its inner collection carried out, after the customer's
 * system confirmed it (a write that failed or changed nothing is not reported). There is no
 * transaction spanning the customer's system and ours, so the report follows the write.
 */
export class ObservedCollection implements MappedCollection {
  constructor(
    private readonly inner: MappedCollection,
    private readonly keyField: string,
    private readonly confirmed: (write: ConfirmedWrite) => Promise<void>,
  ) {}

  has(field: string): boolean {
    return this.inner.has(field);
  }

  list(page: PageRequest): Promise<ListedRow[]> {
    return this.inner.list(page);
  }

  get(key: unknown): Promise<MappedRecord | null> {
    return this.inner.get(key);
  }

  async insert(record: MappedRecord): Promise<MappedRecord> {
    const stored = await this.inner.insert(record);
    await this.confirmed({ action: 'create', key: this.keyOf(stored), changes: stored });
    return stored;
  }

  async update(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    const stored = await this.inner.update(key, patch);
    if (stored) await this.confirmed({ action: 'update', key: this.keyOf(stored), changes: newValues(patch, stored) });
    return stored;
  }

  async increment(key: unknown, change: CounterChange): Promise<MappedRecord | null> {
    const stored = await this.inner.increment(key, change);
    if (!stored) return stored;
    const changes: Record<string, unknown> = { [change.field]: { by: change.delta, to: stored[change.field] } };
    for (const { field } of change.following ?? []) changes[field] = { to: stored[field] ?? null };
    await this.confirmed({ action: 'update', key: this.keyOf(stored), changes });
    return stored;
  }

  async delete(key: unknown): Promise<string | null> {
    const deleted = await this.inner.delete(key);
    if (deleted !== null) await this.confirmed({ action: 'delete', key: deleted, changes: {} });
    return deleted;
  }

  countUpTo(limit: number): Promise<number> {
    return this.inner.countUpTo(limit);
  }

  currentTime(field: string): Promise<unknown> {
    return this.inner.currentTime(field);
  }

  private keyOf(record: MappedRecord): string {
    return String(record[this.keyField]);
  }
}

/** Each field the patch sent, with the value the customer's system now holds. */
function newValues(patch: MappedRecord, stored: MappedRecord): Record<string, { to: unknown }> {
  const changes: Record<string, { to: unknown }> = {};
  for (const field of Object.keys(patch)) if (patch[field] !== undefined) changes[field] = { to: stored[field] ?? null };
  return changes;
}
