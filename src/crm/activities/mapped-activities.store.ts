import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Condition, MappedRecord, sourceText, UnmappedFieldError } from '../../../libs/byod';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { mappedFields, mappedPage, recordOrFail } from '../mapped-sources/mapped-pages';
import { sourceTimestamp } from '../mapped-sources/source-dates';
import { Page } from '../../platform/pagination/cursor-pagination';
import { ActivitiesStore } from './activities-store';
import { ActivityDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';

const ENTITY = 'activity';

/**
 * Activities of a `byod` tenant, in its own table through its mapping; the id is the customer's
 * key, and so is the record an activity is about (written as sent: the customer's own foreign
 * keys, if any, refuse a missing one). A task is done when its mapped completion time or done
 * flag says so; completing one writes whichever of the two the table keeps. Fields the mapping
 * leaves out are a 409 naming them; deletes there are real, so nothing can be restored.
 */
@Injectable()
export class MappedActivitiesStore implements ActivitiesStore {
  constructor(private readonly entities: MappedEntities) {}

  create(dto: CreateActivityDto): Promise<ActivityDto> {
    return this.entities.write(ENTITY, async (table) => {
      const record = mappedFields(table, {
        ...toRecord(dto),
        type: dto.type,
        related_type: dto.relatedType,
        related_id: dto.relatedId,
      });
      return toDto(await table.insert(record));
    });
  }

  /** Open or completed is a filter on the done flag: a table with only a completion time cannot be asked for the open ones. */
  list(query: ListActivitiesQueryDto): Promise<Page<ActivityDto>> {
    return this.entities.read(ENTITY, async (table) => {
      const conditions: Condition[] = [];
      if (query.type) conditions.push({ field: 'type', op: '=', value: query.type });
      if (query.relatedType) conditions.push({ field: 'related_type', op: '=', value: query.relatedType });
      if (query.relatedId) conditions.push({ field: 'related_id', op: '=', value: query.relatedId });
      if (query.completed !== undefined) conditions.push({ field: 'completed', op: '=', value: query.completed });
      if (query.dueBefore) conditions.push({ field: 'due_at', op: '<', value: new Date(query.dueBefore) });
      if (query.ownerUserId) conditions.push({ field: 'owner_user_id', op: '=', value: query.ownerUserId });
      if (query.search) conditions.push({ fields: ['subject'], op: 'contains', value: query.search });
      // The other placements list in creation order: the mapped creation time, or else the key.
      const sort = { field: table.has('created_at') ? 'created_at' : 'id', direction: 'ASC' as const };
      return mappedPage(table, { conditions, sort }, query, toDto);
    });
  }

  get(id: string): Promise<ActivityDto> {
    return this.entities.read(ENTITY, async (table) => toDto(await recordOrFail(table.get(id), `Activity ${id}`)));
  }

  update(id: string, dto: UpdateActivityDto): Promise<ActivityDto> {
    return this.entities.write(ENTITY, async (table) =>
      toDto(await recordOrFail(table.update(id, mappedFields(table, toRecord(dto))), `Activity ${id}`)),
    );
  }

  /** Marks a task done, as on the other placements: only tasks, once. */
  complete(id: string): Promise<ActivityDto> {
    return this.entities.write(ENTITY, async (table) => {
      const activity = toDto(await recordOrFail(table.get(id), `Activity ${id}`));
      if (activity.type !== 'task') throw new ConflictException(`Only tasks are completed; this is a ${activity.type}`);
      if (activity.completed) throw new ConflictException('The task was completed already');
      const done: MappedRecord = {};
      if (table.has('completed_at')) done.completed_at = new Date();
      if (table.has('completed')) done.completed = true;
      if (Object.keys(done).length === 0) throw new UnmappedFieldError('completed_at');
      return toDto(await recordOrFail(table.update(id, done), `Activity ${id}`));
    });
  }

  remove(id: string): Promise<void> {
    return this.entities.write(ENTITY, async (table) => {
      if ((await table.delete(id)) === null) throw new NotFoundException(`Activity ${id} not found`);
    });
  }

  async restore(): Promise<ActivityDto> {
    throw new ConflictException("Activities deleted from the tenant's own database are gone there; they cannot be restored");
  }
}

/** The changeable fields as the mapping names them; unmapped ones that were sent are refused (409) before any write. */
function toRecord(dto: UpdateActivityDto): MappedRecord {
  return {
    subject: dto.subject,
    body: dto.body,
    due_at: dto.dueAt === undefined ? undefined : new Date(dto.dueAt),
    owner_user_id: dto.ownerUserId,
  };
}

function toDto(record: MappedRecord): ActivityDto {
  const completedAt = sourceTimestamp(record.completed_at);
  // PostgreSQL gives booleans, MySQL's tinyint(1) 0 and 1.
  const flag = record.completed === true || Number(record.completed) === 1;
  return {
    id: String(record.id),
    type: sourceText(record.type ?? ''),
    subject: sourceText(record.subject ?? ''),
    body: sourceText(record.body ?? ''),
    relatedType: sourceText(record.related_type ?? ''),
    relatedId: sourceText(record.related_id ?? ''),
    dueAt: sourceTimestamp(record.due_at),
    completed: flag || completedAt !== null,
    completedAt,
    ownerUserId: null,
    createdAt: sourceTimestamp(record.created_at),
    updatedAt: sourceTimestamp(record.updated_at),
  };
}
