import { BadRequestException, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { cursorFields } from '../../../libs/tenancy/records/cursor-codec';
import { SortOrder } from '../../../libs/tenancy/records/sort-order';
import { applySortedKeyset, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { RequestContext } from '../../platform/request-context/request-context';
import { DataAuditStore } from './data-audit-store';
import { DataAuditEntryDto, DataAuditQueryDto } from './dto/data-audit.dto';
import { DataAuditAction, DataAuditEntry } from './entities/data-audit-entry.entity';
import { timeOrderedId } from '../../../libs/ids/time-ordered-id';

const NEWEST_FIRST: SortOrder<'occurredAt'> = { property: 'occurredAt', direction: 'DESC' };

export interface DataChange {
  entity: string;
  entityId: string;
  action: DataAuditAction;
  changes: Record<string, unknown>;
}

/**
 * Records changes to tenant data in the tenant's own database, in the transaction that makes
 * them (a rolled-back change leaves no entry), and lists them for the tenant admin.
 */
@Injectable()
export class TenantAuditService implements DataAuditStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly context: RequestContext,
  ) {}

  async record(tx: TenantEntityManager, change: DataChange): Promise<void> {
    const entries = tx.repository(DataAuditEntry);
    await entries.save(entries.create(this.entryOf(change)));
  }

  /**
   * Several changes of one transaction (e.g. a batch of a bulk import), each as `record` would write
   * it, in one statement: the batch travels as one JSON array rather than one INSERT per entry. The
   * entries' ids are time-ordered (UUID version 7), so thousands of them extend the primary key at
   * its edge rather than touching pages all over it.
   */
  async recordMany(tx: TenantEntityManager, changes: DataChange[]): Promise<void> {
    if (changes.length === 0) return;
    const { actorUserId, requestId } = this.entryOf(changes[0]);
    await tx.manager.query(
      `INSERT INTO data_audit (id, actor_user_id, request_id, entity, entity_id, action, changes)
       SELECT change.id, $1::uuid, $2, change.entity, change.entity_id, change.action, change.changes
         FROM jsonb_to_recordset($3::jsonb) AS change (id uuid, entity text, entity_id uuid, action text, changes jsonb)`,
      [
        actorUserId,
        requestId,
        JSON.stringify(
          changes.map(({ entity, entityId, action, changes: fields }) => ({
            id: timeOrderedId(),
            entity,
            entity_id: entityId,
            action,
            changes: fields,
          })),
        ),
      ],
    );
  }

  private entryOf(change: DataChange) {
    return { actorUserId: this.context.actor?.userId ?? null, requestId: this.context.requestId ?? null, ...change };
  }

  list(query: DataAuditQueryDto): Promise<Page<DataAuditEntryDto>> {
    // Records kept here have UUIDs (the column is one); other ids are a byod tenant's.
    if (query.entityId !== undefined && !isUUID(query.entityId)) {
      throw new BadRequestException({ message: 'entityId must be a UUID', details: [{ field: 'entityId', problems: ['must be a UUID'] }] });
    }
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(DataAuditEntry).createQueryBuilder('entry');
      if (query.entity) builder.andWhere('entry.entity = :entity', { entity: query.entity });
      if (query.entityId) builder.andWhere('entry.entityId = :entityId', { entityId: query.entityId });
      if (query.actorUserId) builder.andWhere('entry.actorUserId = :actor', { actor: query.actorUserId });
      if (query.action) builder.andWhere('entry.action = :action', { action: query.action });
      if (query.from) builder.andWhere('entry.occurredAt >= :from', { from: query.from });
      if (query.to) builder.andWhere('entry.occurredAt < :to', { to: query.to });
      const rows = await applySortedKeyset(builder, NEWEST_FIRST, query, cursorFields.date).getMany();
      return toSortedPage(rows, query.limit, (row) => row.occurredAt, DataAuditEntryDto.from);
    });
  }
}

/** The fields of `after` that differ from `before`, as `{ field: { from, to } }`. */
export function changedFields<T extends object>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    const previous = (before as Record<string, unknown>)[key];
    if (value !== undefined && JSON.stringify(previous) !== JSON.stringify(value)) changes[key] = { from: previous, to: value };
  }
  return changes;
}
