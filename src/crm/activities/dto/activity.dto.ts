import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText, IsQueryFlag } from '../../../platform/validation/text';
import { Activity, ACTIVITY_TYPES, RELATED_TYPES } from '../entities/activity.entity';
import { PatchType } from '../../../platform/validation/patch-type';
import { IsTenantRecordId } from '../../../control-plane/tenant-binding/is-tenant-record-id';

const RECORD_ID = 'A UUID; for a tenant whose data lives in its own database, its key there';
const BYOD_NULL = 'null for a tenant whose activities live in its own database, unless its mapping maps created_at / updated_at';

export class CreateActivityDto {
  @ApiProperty({ enum: ACTIVITY_TYPES, example: 'task' })
  @IsIn(ACTIVITY_TYPES)
  type: (typeof ACTIVITY_TYPES)[number];

  @ApiProperty({ example: 'Send the renewal offer', maxLength: 200 })
  @IsDisplayText(200)
  subject: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  body?: string;

  @ApiProperty({ enum: RELATED_TYPES, example: 'deal' })
  @IsIn(RELATED_TYPES)
  relatedType: (typeof RELATED_TYPES)[number];

  @ApiProperty({ description: `The account, contact or deal it is about (of this tenant): ${RECORD_ID}` })
  @IsTenantRecordId()
  relatedId: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Tasks: when it is due' })
  @IsOptional()
  @IsDateString({ strict: true })
  dueAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A user of this tenant (a user of another tenant: 404, like an unknown id)' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;
}

export class UpdateActivityDto extends PatchType(OmitType(CreateActivityDto, ['type', 'relatedType', 'relatedId'] as const)) {}

export class ListActivitiesQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: ACTIVITY_TYPES })
  @IsOptional()
  @IsIn(ACTIVITY_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: RELATED_TYPES })
  @IsOptional()
  @IsIn(RELATED_TYPES)
  relatedType?: string;

  @ApiPropertyOptional({ description: RECORD_ID })
  @IsOptional()
  @IsTenantRecordId()
  relatedId?: string;

  @ApiPropertyOptional({ description: 'true: completed only; false: open only' })
  @IsOptional()
  @IsQueryFlag()
  completed?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'Due before this time' })
  @IsOptional()
  @IsDateString({ strict: true })
  dueBefore?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the subject' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class ActivityDto {
  @ApiProperty({ example: '3f0c9a8e-5b1d-4c2a-9e7f-1a2b3c4d5e6f', description: RECORD_ID }) id: string;
  @ApiProperty({ enum: ACTIVITY_TYPES }) type: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: RELATED_TYPES }) relatedType: string;
  @ApiProperty({ description: RECORD_ID }) relatedId: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) dueAt: Date | null;
  @ApiProperty({ description: 'Whether the task was completed' }) completed: boolean;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When it was completed; null while open, and for a tenant whose own database keeps only a done flag',
  })
  completedAt: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: BYOD_NULL }) createdAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: BYOD_NULL }) updatedAt: Date | null;

  static from(activity: Activity): ActivityDto {
    const { id, type, subject, body, relatedType, relatedId, dueAt, completedAt, ownerUserId, createdAt, updatedAt } = activity;
    return {
      id,
      type,
      subject,
      body,
      relatedType,
      relatedId,
      dueAt,
      completed: completedAt !== null,
      completedAt,
      ownerUserId,
      createdAt,
      updatedAt,
    };
  }
}

export class ActivityPageDto extends PageDtoOf(ActivityDto) {}
