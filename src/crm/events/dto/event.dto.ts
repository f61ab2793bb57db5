import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText } from '../../../platform/validation/text';
import { EventDate } from '../entities/event-date.entity';
import { EventStaff } from '../entities/event-staff.entity';
import { Event, EVENT_STATUSES, EventStatus } from '../entities/event.entity';
import { IsInstant } from '../../../platform/validation/instant';
import { IsAfter, IsTimeZone } from './date-validation';
import { PatchType } from '../../../platform/validation/patch-type';

export const MAX_EVENT_DATES = 50;

/** May be left out of a change, but not set to null: the column it fills is required. */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

export class EventDateInputDto {
  @ApiProperty({ format: 'date-time', example: '2027-05-14T09:00:00+02:00', description: 'ISO 8601 with an offset' })
  @IsInstant()
  startsAt: string;

  @ApiProperty({ format: 'date-time', example: '2027-05-14T18:00:00+02:00', description: 'ISO 8601 with an offset; after startsAt' })
  @IsInstant()
  @IsAfter('startsAt')
  endsAt: string;

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    description: 'IANA time zone the event is held in; default: the tenant’s timezone setting',
  })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;
}

export class EventStaffDto {
  @ApiProperty({ format: 'uuid', description: 'A user of this tenant' })
  @IsUUID()
  userId: string;

  @ApiProperty({ example: 'host', maxLength: 100 })
  @IsDisplayText(100)
  role: string;
}

export class CreateEventDto {
  @ApiProperty({ example: 'Spring trade fair 2027', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiPropertyOptional({ example: 'Trade fair', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  category?: string;

  @ApiPropertyOptional({ example: 'Exhibition', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  type?: string;

  @ApiPropertyOptional({
    enum: EVENT_STATUSES,
    default: 'planned',
    description: 'planned → confirmed | cancelled; confirmed → planned | completed | cancelled; cancelled and completed are final',
  })
  @IsOptional()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  @ApiPropertyOptional({ example: 'Messe Berlin, Hall 4', maxLength: 300 })
  @IsOptional()
  @IsDisplayText(300)
  location?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A user of this tenant (a user of another tenant: 404, like an unknown id)' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiProperty({ type: [EventDateInputDto], minItems: 1, maxItems: MAX_EVENT_DATES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENT_DATES)
  @ValidateNested({ each: true })
  @Type(() => EventDateInputDto)
  dates: EventDateInputDto[];

  @ApiPropertyOptional({ type: [EventStaffDto], description: 'Each user at most once' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique((staff: EventStaffDto) => staff?.userId, { message: 'staff must name each user at most once' })
  @ValidateNested({ each: true })
  @Type(() => EventStaffDto)
  staff?: EventStaffDto[];
}

/** Fields sent replace the stored ones (dates and staff as whole lists); null clears an optional field. */
export class UpdateEventDto extends PatchType(OmitType(CreateEventDto, ['name', 'status', 'dates'] as const)) {
  @ApiPropertyOptional({ example: 'Spring trade fair 2027', maxLength: 200 })
  @Omittable()
  @IsDisplayText(200)
  name?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES, description: 'Only to a status allowed from the current one (409 otherwise)' })
  @Omittable()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  @ApiPropertyOptional({ type: [EventDateInputDto], minItems: 1, maxItems: MAX_EVENT_DATES })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENT_DATES)
  @ValidateNested({ each: true })
  @Type(() => EventDateInputDto)
  dates?: EventDateInputDto[];
}

export const EVENT_SORT_PROPERTIES = ['createdAt', 'name'] as const;
const SORTS = sortOptions(EVENT_SORT_PROPERTIES);

export class ListEventsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Events with a date ending after this instant (e.g. `2027-05-01T00:00:00Z`)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Events with a date starting before this instant (e.g. `2027-06-01T00:00:00Z`)',
  })
  @IsOptional()
  @IsInstant()
  @IsAfter('from')
  to?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @IsOptional()
  @IsIn(EVENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Exact category, e.g. `Trade fair`' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ description: 'Exact type, e.g. `Exhibition`' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events this user is staff of' })
  @IsOptional()
  @IsUUID()
  staffUserId?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: SORTS, default: 'createdAt' })
  @IsOptional()
  @IsIn(SORTS)
  sort: string = 'createdAt';
}

export class EventDateDto {
  @ApiProperty({ format: 'date-time', example: '2027-05-14T07:00:00.000Z' }) startsAt: Date;
  @ApiProperty({ format: 'date-time', example: '2027-05-14T16:00:00.000Z' }) endsAt: Date;
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the event is held in' }) timeZone: string;
}

export class EventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Spring trade fair 2027' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'Trade fair' }) category: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Exhibition' }) type: string | null;
  @ApiProperty({ enum: EVENT_STATUSES }) status: EventStatus;
  @ApiProperty({ nullable: true, type: String, example: 'Messe Berlin, Hall 4' }) location: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ownerUserId: string | null;
  @ApiProperty({ type: [EventDateDto] }) dates: EventDateDto[];
  @ApiProperty({ type: [EventStaffDto] }) staff: EventStaffDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  /** `dates` and `staff` in their stored order. */
  static from(event: Event, dates: EventDateDto[], staff: EventStaffDto[]): EventDto {
    const { id, name, category, type, status, location, description, ownerUserId, createdAt, updatedAt } = event;
    return { id, name, category, type, status, location, description, ownerUserId, dates, staff, createdAt, updatedAt };
  }
}

export class EventPageDto extends PageDtoOf(EventDto) {}

export const toEventDateDto = ({ startsAt, endsAt, timeZone }: Pick<EventDate, 'startsAt' | 'endsAt' | 'timeZone'>): EventDateDto => ({
  startsAt,
  endsAt,
  timeZone,
});
export const toEventStaffDto = ({ userId, role }: Pick<EventStaff, 'userId' | 'role'>): EventStaffDto => ({ userId, role });
