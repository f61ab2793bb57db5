import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';

export class AuditQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Exact action, e.g. `tenant.create`' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+){1,3}$/, { message: 'action must look like "tenant.create" or "tenant.provision.database"' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries of what this API key did' })
  @IsOptional()
  @IsUUID()
  actorApiKeyId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ description: 'Kind of target, e.g. `tenant`' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  targetType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  targetId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound on occurredAt' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound on occurredAt' })
  @IsOptional()
  @IsDateString()
  to?: string;
}
