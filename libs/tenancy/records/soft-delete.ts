import { EntityTarget, FindOptionsRelations, FindOptionsWhere, IsNull, Not } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantEntityManager } from '../tenant-connection-provider';
import { RecordNotFoundError } from './record-errors';

interface SoftDeletable {
  id: string;
  deletedAt: Date | null;
}

/** Hides the record from lookups and lists; it stays restorable. */
export async function softDelete<T extends SoftDeletable>(tx: TenantEntityManager, target: EntityTarget<T>, id: string): Promise<void> {
  await tx.repository(target).update({ id } as FindOptionsWhere<T>, { deletedAt: new Date() } as unknown as QueryDeepPartialEntity<T>);
}

/**
 * The soft-deleted record with this id, or RecordNotFoundError (404) `No deleted <kind> <id>`;
 * `kind` is the record's kind as lower-case words (`inventory item`).
 */
export async function findDeletedOrFail<T extends SoftDeletable>(
  tx: TenantEntityManager,
  target: EntityTarget<T>,
  id: string,
  kind: string,
  relations?: FindOptionsRelations<T>,
): Promise<T> {
  // Held until the transaction ends: two restores at once would otherwise both bring it back (and both announce it).
  const where = { id, deletedAt: Not(IsNull()) } as FindOptionsWhere<T>;
  const locked = await tx.repository(target).findOne({ where, lock: { mode: 'pessimistic_write' } });
  const record = locked && relations ? await tx.repository(target).findOne({ where, relations }) : locked;
  if (!record) throw new RecordNotFoundError(`No deleted ${kind} ${id}`);
  return record;
}

/** Brings a soft-deleted record back (the caller found it with findDeletedOrFail). */
export async function undelete<T extends SoftDeletable>(tx: TenantEntityManager, target: EntityTarget<T>, record: T): Promise<T> {
  await tx.repository(target).update({ id: record.id } as FindOptionsWhere<T>, { deletedAt: null } as unknown as QueryDeepPartialEntity<T>);
  return Object.assign(record, { deletedAt: null });
}
