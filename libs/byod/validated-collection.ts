import { CounterChange } from './counter-change';
import { FieldRule, RuleViolation, violations } from './field-rules';
import { ListedRow, MappedCollection, MappedRecord, PageRequest } from './mapped-collection';

/** A write broke the tenant's own rules; nothing reached its system. */
export class RuleViolationError extends Error {
  constructor(readonly violations: RuleViolation[]) {
    super(`The tenant's rules refuse ${violations.map((violation) => violation.field).join(', ')}`);
    this.name = 'RuleViolationError';
  }
}

/** A collection whose writes pass the tenant's field rules first; reads go straight through. */
export class ValidatedCollection implements MappedCollection {
  constructor(
    private readonly inner: MappedCollection,
    private readonly rules: Record<string, FieldRule>,
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

  insert(record: MappedRecord): Promise<MappedRecord> {
    this.check(record, true);
    return this.inner.insert(record);
  }

  update(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    this.check(patch, false);
    return this.inner.update(key, patch);
  }

  /** Each value a following field may take is a write the rules must allow, checked before the change. */
  async increment(key: unknown, change: CounterChange): Promise<MappedRecord | null> {
    for (const follower of change.following ?? []) for (const { value } of follower.cases) this.check({ [follower.field]: value }, false);
    return this.inner.increment(key, change);
  }

  delete(key: unknown): Promise<string | null> {
    return this.inner.delete(key);
  }

  countUpTo(limit: number): Promise<number> {
    return this.inner.countUpTo(limit);
  }

  currentTime(field: string): Promise<unknown> {
    return this.inner.currentTime(field);
  }

  private check(record: MappedRecord, complete: boolean): void {
    const found = violations(this.rules, record, complete);
    if (found.length) throw new RuleViolationError(found);
  }
}
