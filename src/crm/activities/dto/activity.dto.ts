import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText, IsQueryFlag } from '../../../platform/validation/text';
import { Activity, ACTIVITY_TYPES, RELATED_TYPES } from '../entities/activity.entity';
import { PatchType } from '../../../platform/validation/patch-type';

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

  @ApiProperty({ format: 'uuid', description: 'The account, contact or deal it is about (of this tenant)' })
  @IsUUID()
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

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
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
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ACTIVITY_TYPES }) type: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: RELATED_TYPES }) relatedType: string;
  @ApiProperty({ format: 'uuid' }) relatedId: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) dueAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static from(activity: Activity): ActivityDto {
    const { id, type, subject, body, relatedType, relatedId, dueAt, completedAt, ownerUserId, createdAt, updatedAt } = activity;
    return { id, type, subject, body, relatedType, relatedId, dueAt, completedAt, ownerUserId, createdAt, updatedAt };
  }
}

export class ActivityPageDto extends PageDtoOf(ActivityDto) {}
