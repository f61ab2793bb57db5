import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { DataAuditEntry } from '../entities/data-audit-entry.entity';

export class DataAuditQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Kind of record, e.g. `note`' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]{0,63}$/, { message: 'entity must be a record kind such as "note"' })
  entity?: string;

  @ApiPropertyOptional({
    description: 'One record’s history: its id (a UUID; for a `byod` tenant the key in its own system, up to 100 printable characters)',
    maxLength: 100,
  })
  @IsOptional()
  @Matches(/^[^\p{Cc}]{1,100}$/u, { message: 'entityId must be a record id (1 to 100 printable characters)' })
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ enum: ['create', 'update', 'delete'] })
  @IsOptional()
  @IsIn(['create', 'update', 'delete'])
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this time on (inclusive)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this time' })
  @IsOptional()
  @IsDateString()
  to?: string;
}

export class DataAuditEntryDto {
  @ApiProperty({ description: 'A UUID; for a `byod` tenant the number of its entry in the control plane’s audit log' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actorUserId: string | null;

  @ApiProperty({ nullable: true, type: String })
  requestId: string | null;

  @ApiProperty({ example: 'note' })
  entity: string;

  @ApiProperty({ description: 'The record’s id (for a `byod` tenant: its key in the tenant’s own system)' })
  entityId: string;

  @ApiProperty({ enum: ['create', 'update', 'delete'] })
  action: string;

  @ApiProperty({
    type: Object,
    example: { title: { from: 'Draft', to: 'Final' } },
    description: 'Created values, changed fields (from/to), or deleted values',
  })
  changes: Record<string, unknown>;

  static from(entry: DataAuditEntry): DataAuditEntryDto {
    const { id, occurredAt, actorUserId, requestId, entity, entityId, action, changes } = entry;
    return { id, occurredAt, actorUserId, requestId, entity, entityId, action, changes };
  }
}

export class DataAuditPageDto extends PageDtoOf(DataAuditEntryDto) {}
