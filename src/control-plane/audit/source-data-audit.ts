import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { DomainEvent } from '../domain-events/domain-event';
import { DomainEventLog } from '../domain-events/domain-event-log';
import { AuditLogEntry } from '../schema/audit-log-entry.entity';
import { AuditService, entryId } from './audit.service';

export type SourceDataAction = 'create' | 'update' | 'delete';

/** A change a byod tenant made, through the API, to a record in its own system. */
export interface SourceDataChange {
  entity: string;
  /** The record's key in the customer's system. */
  entityId: string;
  action: SourceDataAction;
  changes: Record<string, unknown>;
}

/**
 * A state-change event an update raises besides `<entity>.updated` (a deal's `deal.stage_changed` when its `stage` was
 * written): `{ record, from: null, to: <the field's new value> }`, the customer's system's previous value not being read.
 */
export interface SourceStateChange {
  type: string;
  field: string;
}

export interface SourceDataChangeEntry extends SourceDataChange {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  requestId: string | null;
}

export interface SourceDataAuditFilter {
  entity?: string;
  entityId?: string;
  actorUserId?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

const ACTION_PREFIX = 'data.';

/**
 * The data audit of byod tenants: they have no database of ours to keep it in, so their changes
 * are entries of the control plane's audit log (`data.create|update|delete`, target: the entity
 * and the customer's key, tenant: theirs), with actor and request like every other entry.
 */
@Injectable()
export class SourceDataAudit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEventLog,
  ) {}

  /**
   * Audits the write and records its domain event (`<entity>.created|updated|deleted`) in one
   * control-plane transaction. The write itself already committed in the customer's system, which
   * cannot share a transaction with us: the event is recorded once the write is confirmed, and only
   * if this transaction commits (a crash between the two loses the entry and the event together).
   */
  record(tenantId: string, change: SourceDataChange, stateChanges: readonly SourceStateChange[] = []): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await this.audit.record(manager, {
        action: `${ACTION_PREFIX}${change.action}`,
        targetType: change.entity,
        targetId: change.entityId,
        tenantId,
        changes: change.changes,
      });
      const written = sourceWriteEvent(tenantId, change);
      const record = written.data.record as Record<string, unknown>;
      await this.events.record(manager, [
        written,
        ...stateChanges
          .filter(({ field }) => Object.hasOwn(record, field))
          .map(({ type, field }) => ({ ...written, id: randomUUID(), type, data: { record, from: null, to: record[field] } })),
      ]);
    });
  }

  /** The tenant's entries, newest first. */
  async list(tenantId: string, filter: SourceDataAuditFilter): Promise<{ items: SourceDataChangeEntry[]; nextCursor: string | null }> {
    const builder = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('entry')
      .where('entry.tenantId = :tenantId', { tenantId })
      .andWhere('entry.action LIKE :prefix', { prefix: `${ACTION_PREFIX}%` });
    if (filter.entity) builder.andWhere('entry.targetType = :entity', { entity: filter.entity });
    if (filter.entityId) builder.andWhere('entry.targetId = :entityId', { entityId: filter.entityId });
    if (filter.actorUserId) builder.andWhere('entry.actorUserId = :actor', { actor: filter.actorUserId });
    if (filter.action) builder.andWhere('entry.action = :action', { action: `${ACTION_PREFIX}${filter.action}` });
    if (filter.from) builder.andWhere('entry.occurredAt >= :from', { from: filter.from });
    if (filter.to) builder.andWhere('entry.occurredAt < :to', { to: filter.to });
    if (filter.cursor) {
      const [before] = decodeCursor(filter.cursor, [entryId]);
      builder.andWhere('entry.id < :before', { before });
    }
    const rows = await builder
      .orderBy('entry.id', 'DESC')
      .take(filter.limit + 1)
      .getMany();
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return { items: items.map(toChangeEntry), nextCursor: rows.length > filter.limit && last ? encodeCursor([last.id]) : null };
  }
}

function toChangeEntry(entry: AuditLogEntry): SourceDataChangeEntry {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt,
    actorUserId: entry.actorUserId,
    requestId: entry.requestId,
    entity: entry.targetType,
    entityId: entry.targetId ?? '',
    action: entry.action.slice(ACTION_PREFIX.length) as SourceDataAction,
    changes: entry.changes ?? {},
  };
}

const EVENT_ACTIONS = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/**
 * The event of a byod write, with the types of the tenant-data catalog. What a mapped write
 * confirms is the fields it wrote, not the whole record: `data.record` is `{ id, ...fields written }`
 * (API field names; the customer's key as `id`), and an update's `data.changes` holds the new values.
 */
function sourceWriteEvent(tenantId: string, change: SourceDataChange): DomainEvent {
  const values = change.action === 'update' ? newValuesOf(change.changes) : change.changes;
  const record = { ...values, id: change.entityId };
  return {
    id: randomUUID(),
    tenantId,
    type: `${change.entity}.${EVENT_ACTIONS[change.action]}`,
    version: 1,
    occurredAt: new Date(),
    data: JSON.parse(JSON.stringify(change.action === 'update' ? { record, changes: values } : { record })) as Record<string, unknown>,
  };
}

/** An update's audited changes (`{ to }`, or a counter's `{ by, to }`) as the new values alone, as the catalog documents them. */
function newValuesOf(changes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => [
      field,
      change !== null && typeof change === 'object' && 'to' in change ? change.to : change,
    ]),
  );
}
