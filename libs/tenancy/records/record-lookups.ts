import { EntityTarget, FindOptionsRelations, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { TenantEntityManager } from '../tenant-connection-provider';
import { RecordNotFoundError } from './record-errors';

interface Identified {
  id: string;
}

export interface RecordLookup<T> {
  /** The record's name as messages start with it: `Account`, `Inventory item`. */
  name: string;
  relations?: FindOptionsRelations<T>;
  /** Holds the row until the transaction ends, for changes that depend on its current state. */
  forUpdate?: boolean;
  /** The request field that named the record, when the 404 should point at it. */
  field?: string;
  /** Replaces `unknown <name>` as the field's problem. */
  problem?: string;
}

export interface LinkedRecord {
  /** The request field holding the linked id. */
  field: string;
  /** The linked record's name as messages start with it: `Account`. */
  name: string;
  /** Replaces `<name> <id> not found`. */
  message?: string;
  /** Replaces `unknown <name>`. */
  problem?: string;
}

/** The live record with this id (a soft-deleted one does not count), or RecordNotFoundError (404) naming it. */
export async function findOrFail<T extends Identified>(
  tx: TenantEntityManager,
  target: EntityTarget<T>,
  id: string,
  lookup: RecordLookup<T>,
): Promise<T> {
  const repository = tx.repository(target);
  const lock = lookup.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {};
  // PostgreSQL refuses FOR UPDATE on the nullable side of a LEFT JOIN: with relations, the row is locked first, then read with them.
  const locked = lookup.forUpdate && lookup.relations ? await repository.findOne({ where: live(repository, id), ...lock }) : undefined;
  const record =
    locked === null
      ? null
      : await repository.findOne({ where: live(repository, id), relations: lookup.relations, ...(lookup.relations ? {} : lock) });
  if (!record)
    throw new RecordNotFoundError(
      `${lookup.name} ${id} not found`,
      lookup.field ? [{ field: lookup.field, problems: [lookup.problem ?? unknown(lookup.name)] }] : undefined,
    );
  return record;
}

/**
 * A record the request links to must be a live one of this tenant (the composite foreign keys
 * would refuse another tenant's anyway): RecordNotFoundError (404) naming the field otherwise.
 * An absent id links nothing and passes.
 */
export async function assertLinkedRecord<T extends Identified>(
  tx: TenantEntityManager,
  target: EntityTarget<T>,
  id: string | null | undefined,
  link: LinkedRecord,
): Promise<void> {
  if (!id) return;
  const repository = tx.repository(target);
  if (await repository.exists({ where: live(repository, id) })) return;
  throw new RecordNotFoundError(link.message ?? `${link.name} ${id} not found`, [
    { field: link.field, problems: [link.problem ?? unknown(link.name)] },
  ]);
}

/** Matches the id among records not soft-deleted, for entities that delete softly. */
export function live<T extends Identified>(repository: Repository<T>, id: string): FindOptionsWhere<T> {
  const softDeletes = repository.metadata.findColumnWithPropertyName('deletedAt') !== undefined;
  return (softDeletes ? { id, deletedAt: IsNull() } : { id }) as FindOptionsWhere<T>;
}

const unknown = (name: string) => `unknown ${name.toLowerCase()}`;
