import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { Placement, PLACEMENTS, TENANT_STATUSES, TenantStatus } from '../../schema/tenant.entity';

export class ListTenantsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: TENANT_STATUSES })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  @ApiPropertyOptional({ enum: PLACEMENTS })
  @IsOptional()
  @IsIn(PLACEMENTS)
  placement?: Placement;

  @ApiPropertyOptional({ description: 'Name of the plan, e.g. `starter` (GET /control/plans)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  plan?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the slug or name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
