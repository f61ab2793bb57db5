import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CursorField, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { RequestContext } from '../../platform/request-context/request-context';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditLogEntry } from '../schema/audit-log-entry.entity';
import { redactSecrets } from './redact-secrets';

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId?: string | null;
  tenantId?: string | null;
  changes?: Record<string, unknown> | null;
  /** Defaults to the authenticated user of the current request (and the API key it used, if any). */
  actorUserId?: string | null;
}

export interface AuditPage {
  items: AuditLogEntry[];
  nextCursor: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** Writes the audit row through `manager`, i.e. in the same transaction as the change it describes. */
  async record(manager: EntityManager, event: AuditEvent): Promise<void> {
    const actor = event.actorUserId !== undefined ? undefined : this.context.actor;
    const entry: Omit<AuditLogEntry, 'id' | 'occurredAt'> = {
      actorUserId: actor ? actor.userId : (event.actorUserId ?? null),
      actorApiKeyId: actor?.apiKey?.id ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      tenantId: event.tenantId ?? null,
      changes: event.changes ? redactSecrets(event.changes) : null,
      requestId: this.context.requestId ?? null,
      clientIp: this.context.clientIp ?? null,
    };
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditLogEntry)
      .values(entry as object)
      .execute();
  }

  async list(query: AuditQueryDto): Promise<AuditPage> {
    const builder = this.dataSource.getRepository(AuditLogEntry).createQueryBuilder('entry');
    if (query.action) builder.andWhere('entry.action = :action', { action: query.action });
    if (query.actorUserId) builder.andWhere('entry.actorUserId = :actor', { actor: query.actorUserId });
    if (query.actorApiKeyId) builder.andWhere('entry.actorApiKeyId = :apiKey', { apiKey: query.actorApiKeyId });
    if (query.tenantId) builder.andWhere('entry.tenantId = :tenant', { tenant: query.tenantId });
    if (query.targetType) builder.andWhere('entry.targetType = :targetType', { targetType: query.targetType });
    if (query.targetId) builder.andWhere('entry.targetId = :targetId', { targetId: query.targetId });
    if (query.from) builder.andWhere('entry.occurredAt >= :from', { from: query.from });
    if (query.to) builder.andWhere('entry.occurredAt < :to', { to: query.to });
    if (query.cursor) {
      const [before] = decodeCursor(query.cursor, [entryId]);
      builder.andWhere('entry.id < :before', { before });
    }
    const rows = await builder
      .orderBy('entry.id', 'DESC')
      .take(query.limit + 1)
      .getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
  }
}

/** An audit entry's id: a bigint, as text. */
export const entryId: CursorField<string> = (value): value is string => typeof value === 'string' && /^\d{1,19}$/.test(value);
