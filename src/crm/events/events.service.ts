import { Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { softDelete } from '../../../libs/tenancy/records/soft-delete';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applySortedKeyset, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import {
  CreateEventDto,
  EVENT_SORT_PROPERTIES,
  EventDateDto,
  EventDateInputDto,
  EventDto,
  EventStaffDto,
  ListEventsQueryDto,
  toEventDateDto,
  toEventStaffDto,
  UpdateEventDto,
} from './dto/event.dto';
import { EventDate } from './entities/event-date.entity';
import { EventStaff } from './entities/event-staff.entity';
import { Event } from './entities/event.entity';
import { assertStatusChange } from './event-status';
import { ownerReference, TenantMembers, UserReference } from '../../control-plane/tenant-binding/tenant-members';
import { restoreDeleted } from '../tenant-audit/restore-deleted';

const ENTITY = 'event';

/** A page row's dates and staff as the list statement returns them: JSON, timestamps as text. */
interface ListedDetails {
  event_dates: Array<{ startsAt: string; endsAt: string; timeZone: string }>;
  event_staff: EventStaffDto[];
}

/** Events of the current tenant with their dates and staff; every change audited in its transaction. */
@Injectable()
export class EventsService {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
    private readonly members: TenantMembers,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  async create(dto: CreateEventDto): Promise<EventDto> {
    const { dates: dateInput, staff: staffInput = [], ...fields } = dto;
    const dates = await this.schedule(dateInput);
    const staff = staffInput.map(toEventStaffDto);
    await this.members.assertMembers([...ownerReference(dto), ...staffReferences(staff)]);
    return this.tenantData.transaction(async (tx) => {
      const events = tx.repository(Event);
      const event = await events.save(events.create({ ...fields, status: dto.status ?? 'planned' }));
      await this.replaceDetails(tx, event.id, dates, staff);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: event.id,
        action: 'create',
        changes: { ...dto, status: event.status, dates, staff },
      });
      const record = EventDto.from(event, dates, staff);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  list(query: ListEventsQueryDto): Promise<Page<EventDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Event).createQueryBuilder('event').where('event.deletedAt IS NULL');
      if (query.from || query.to) {
        // Overlap with the half-open range [from, to): a date counts if it ends after `from` and starts before `to`.
        const bounds = [query.to ? 'scheduled.starts_at < :to' : '', query.from ? 'scheduled.ends_at > :from' : '']
          .filter(Boolean)
          .join(' AND ');
        builder.andWhere(
          `EXISTS (SELECT 1 FROM event_dates scheduled WHERE scheduled.tenant_id = event.tenant_id AND scheduled.event_id = event.id AND ${bounds})`,
          {
            from: query.from,
            to: query.to,
          },
        );
      }
      if (query.staffUserId) {
        builder.andWhere(
          'EXISTS (SELECT 1 FROM event_staff staff WHERE staff.tenant_id = event.tenant_id AND staff.event_id = event.id AND staff.user_id = :staffUserId)',
          {
            staffUserId: query.staffUserId,
          },
        );
      }
      if (query.status) builder.andWhere('event.status = :status', { status: query.status });
      if (query.category) builder.andWhere('event.category = :category', { category: query.category });
      if (query.type) builder.andWhere('event.type = :type', { type: query.type });
      if (query.search) builder.andWhere("event.name ILIKE :pattern ESCAPE '\\'", { pattern: `%${escapeLike(query.search)}%` });
      const order = parseSort(query.sort, EVENT_SORT_PROPERTIES);
      // The page's dates and staff come in the same statement, as JSON per event: one round trip.
      builder.addSelect(
        `(SELECT coalesce(json_agg(json_build_object('startsAt', scheduled.starts_at, 'endsAt', scheduled.ends_at, 'timeZone', scheduled.time_zone) ORDER BY scheduled.position), '[]')
            FROM event_dates scheduled WHERE scheduled.tenant_id = event.tenant_id AND scheduled.event_id = event.id)`,
        'event_dates',
      );
      builder.addSelect(
        `(SELECT coalesce(json_agg(json_build_object('userId', staff.user_id, 'role', staff.role) ORDER BY staff.position), '[]')
            FROM event_staff staff WHERE staff.tenant_id = event.tenant_id AND staff.event_id = event.id)`,
        'event_staff',
      );
      const { entities, raw } = await applySortedKeyset(builder, order, query).getRawAndEntities<ListedDetails>();
      const rows = entities.map((event, index) => Object.assign(event, { listed: raw[index] }));
      return toSortedPage(
        rows,
        query.limit,
        (row) => row[order.property],
        (row) => {
          const dates = row.listed.event_dates.map((date) =>
            toEventDateDto({ ...date, startsAt: new Date(date.startsAt), endsAt: new Date(date.endsAt) }),
          );
          return EventDto.from(row, dates, row.listed.event_staff);
        },
      );
    });
  }

  get(id: string): Promise<EventDto> {
    return this.tenantData.read(async (tx) => this.withDetails(tx, await findEvent(tx, id)));
  }

  async update(id: string, dto: UpdateEventDto): Promise<EventDto> {
    const { dates: dateInput, staff: staffInput, ...sent } = dto;
    // The DTO declares name, status and dates as class fields, so the ones not sent are present as undefined.
    const fields: Partial<Event> = Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== undefined));
    const dates = dateInput && (await this.schedule(dateInput));
    const staff = staffInput?.map(toEventStaffDto);
    await this.members.assertMembers([...ownerReference(dto), ...staffReferences(staff ?? [])]);
    return this.tenantData.transaction(async (tx) => {
      const event = await findEvent(tx, id, true);
      if (fields.status) assertStatusChange(event.status, fields.status);
      const stored = await this.withDetails(tx, event);
      const changes = { ...changedFields(event, fields), ...changedFields({ dates: stored.dates, staff: stored.staff }, { dates, staff }) };
      if (Object.keys(changes).length === 0) return stored;
      const previousStatus = event.status;
      const saved = await tx.repository(Event).save(Object.assign(event, fields));
      if (dates || staff) await this.replaceDetails(tx, id, dates ?? stored.dates, staff ?? stored.staff);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = EventDto.from(saved, dates ?? stored.dates, staff ?? stored.staff);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      if (saved.status !== previousStatus)
        await this.events.raise(tx, 'event.status_changed', { record, from: previousStatus, to: saved.status });
      return record;
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const event = await findEvent(tx, id, true);
      await softDelete(tx, Event, id);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'delete', changes: { name: event.name, status: event.status } });
      await this.events.recordChanged(tx, ENTITY, 'deleted', await this.withDetails(tx, event));
    });
  }

  restore(id: string): Promise<EventDto> {
    return this.tenantData.transaction(async (tx) => {
      const record = await this.withDetails(tx, await restoreDeleted(tx, this.audit, Event, { entity: ENTITY, id }));
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }

  /** Instants as dates; a date sent without a time zone is in the tenant's (the module requires that setting). */
  private async schedule(dates: EventDateInputDto[]): Promise<EventDateDto[]> {
    const tenantTimeZone = dates.some((date) => !date.timeZone) ? (await this.tenantSettings.settings()).timezone : undefined;
    return dates.map((date) => ({
      startsAt: new Date(date.startsAt),
      endsAt: new Date(date.endsAt),
      timeZone: date.timeZone ?? tenantTimeZone!,
    }));
  }

  /** Dates and staff are stored as whole lists, in the order given. */
  private async replaceDetails(tx: TenantEntityManager, eventId: string, dates: EventDateDto[], staff: EventStaffDto[]): Promise<void> {
    const dateRows = tx.repository(EventDate);
    const staffRows = tx.repository(EventStaff);
    await dateRows.delete({ eventId });
    await staffRows.delete({ eventId });
    await dateRows.insert(dates.map((date, position) => ({ ...date, position, eventId })));
    if (staff.length) await staffRows.insert(staff.map((member, position) => ({ ...member, position, eventId })));
  }

  private async withDetails(tx: TenantEntityManager, event: Event): Promise<EventDto> {
    const [dates, staff] = await Promise.all([
      tx.repository(EventDate).find({ where: { eventId: event.id }, order: { position: 'ASC' } }),
      tx.repository(EventStaff).find({ where: { eventId: event.id }, order: { position: 'ASC' } }),
    ]);
    return EventDto.from(event, dates.map(toEventDateDto), staff.map(toEventStaffDto));
  }
}

const findEvent = (tx: TenantEntityManager, id: string, forUpdate = false) => findOrFail(tx, Event, id, { name: 'Event', forUpdate });

const staffReferences = (staff: readonly EventStaffDto[]): UserReference[] =>
  staff.map(({ userId }, index) => ({ field: `staff[${index}].userId`, userId }));
