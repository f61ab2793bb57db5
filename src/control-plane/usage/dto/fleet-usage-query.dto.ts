import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { IsDateOnly } from '../../../platform/validation/text';
import { USAGE_MEASURE_NAMES, UsageMeasure } from '../usage-measures';

export class FleetUsageQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'The UTC day (YYYY-MM-DD); default: today' })
  @IsOptional()
  @IsDateOnly()
  day?: string;

  @ApiPropertyOptional({ enum: USAGE_MEASURE_NAMES, default: 'apiCalls', description: 'The measure to sort by (ties by tenant id)' })
  @IsOptional()
  @IsIn(USAGE_MEASURE_NAMES)
  sort: UsageMeasure = 'apiCalls';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
