import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDateOnly } from '../../../platform/validation/text';

export class UsageRangeQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'First UTC day (YYYY-MM-DD); default: 30 days before `to`' })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last UTC day, included (YYYY-MM-DD); default: today' })
  @IsOptional()
  @IsDateOnly()
  to?: string;
}
