import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
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
  ) {}

  record(tenantId: string, change: SourceDataChange): Promise<void> {
    return this.audit.record(this.dataSource.manager, {
      action: `${ACTION_PREFIX}${change.action}`,
      targetType: change.entity,
      targetId: change.entityId,
      tenantId,
      changes: change.changes,
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
