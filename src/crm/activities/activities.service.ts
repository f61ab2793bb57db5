import { ConflictException, Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { assertLinkedRecord, findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { softDelete } from '../../../libs/tenancy/records/soft-delete';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { ownerReference, TenantMembers } from '../../control-plane/tenant-binding/tenant-members';
import { Account } from '../accounts/entities/account.entity';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, Page, toPage } from '../../platform/pagination/cursor-pagination';
import { Contact } from '../contacts/entities/contact.entity';
import { Deal } from '../deals/entities/deal.entity';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { ActivityDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { restoreDeleted } from '../tenant-audit/restore-deleted';
import { ActivitiesStore } from './activities-store';

const ENTITY = 'activity';
const RELATED = { account: Account, contact: Contact, deal: Deal } as const;

/** Activities of the current tenant, attached to its accounts, contacts and deals; every change audited. */
@Injectable()
export class ActivitiesService implements ActivitiesStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly members: TenantMembers,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
  ) {}

  async create(dto: CreateActivityDto): Promise<ActivityDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const related = dto.relatedType;
      const message = `No ${related} ${dto.relatedId}`;
      await assertLinkedRecord(tx, RELATED[related], dto.relatedId, { field: 'relatedId', name: related, message });
      const activities = tx.repository(Activity);
      const activity = await activities.save(
        activities.create({ ...dto, body: dto.body ?? '', dueAt: dto.dueAt ? new Date(dto.dueAt) : null }),
      );
      await this.audit.record(tx, { entity: ENTITY, entityId: activity.id, action: 'create', changes: { ...dto } });
      const record = ActivityDto.from(activity);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  list(query: ListActivitiesQueryDto): Promise<Page<ActivityDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Activity).createQueryBuilder('activity').where('activity.deletedAt IS NULL');
      if (query.type) builder.andWhere('activity.type = :type', { type: query.type });
      if (query.relatedType) builder.andWhere('activity.relatedType = :relatedType', { relatedType: query.relatedType });
      if (query.relatedId) builder.andWhere('activity.relatedId = :relatedId', { relatedId: query.relatedId });
      if (query.completed !== undefined)
        builder.andWhere(query.completed ? 'activity.completedAt IS NOT NULL' : 'activity.completedAt IS NULL');
      if (query.dueBefore) builder.andWhere('activity.dueAt < :dueBefore', { dueBefore: query.dueBefore });
      if (query.ownerUserId) builder.andWhere('activity.ownerUserId = :owner', { owner: query.ownerUserId });
      if (query.search) builder.andWhere("activity.subject ILIKE :pattern ESCAPE '\\'", { pattern: `%${escapeLike(query.search)}%` });
      return toPage(await applyKeyset(builder, query).getMany(), query.limit, ActivityDto.from);
    });
  }

  get(id: string): Promise<ActivityDto> {
    return this.tenantData.read(async (tx) => ActivityDto.from(await findActivity(tx, id)));
  }

  async update(id: string, dto: UpdateActivityDto): Promise<ActivityDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const activity = await findActivity(tx, id, true);
      const { dueAt, ...fields } = dto;
      const next: Partial<Activity> = { ...fields, ...(dueAt ? { dueAt: new Date(dueAt) } : {}) };
      const changes = changedFields(activity, next);
      if (Object.keys(changes).length === 0) return ActivityDto.from(activity);
      const saved = await tx.repository(Activity).save(Object.assign(activity, next));
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = ActivityDto.from(saved);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  /** Marks a task done; only tasks are completed, once. */
  complete(id: string): Promise<ActivityDto> {
    return this.tenantData.transaction(async (tx) => {
      const activity = await findActivity(tx, id, true);
      if (activity.type !== 'task') throw new ConflictException(`Only tasks are completed; this is a ${activity.type}`);
      if (activity.completedAt) throw new ConflictException(`The task was completed at ${activity.completedAt.toISOString()}`);
      const saved = await tx.repository(Activity).save(Object.assign(activity, { completedAt: new Date() }));
      const changes = { completedAt: { from: null, to: saved.completedAt } };
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = ActivityDto.from(saved);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const activity = await findActivity(tx, id, true);
      await softDelete(tx, Activity, id);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: id,
        action: 'delete',
        changes: { type: activity.type, subject: activity.subject },
      });
      await this.events.recordChanged(tx, ENTITY, 'deleted', ActivityDto.from(activity));
    });
  }

  restore(id: string): Promise<ActivityDto> {
    return this.tenantData.transaction(async (tx) => {
      const record = ActivityDto.from(await restoreDeleted(tx, this.audit, Activity, { entity: ENTITY, id }));
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }
}

const findActivity = (tx: TenantEntityManager, id: string, forUpdate = false) =>
  findOrFail(tx, Activity, id, { name: 'Activity', forUpdate });
