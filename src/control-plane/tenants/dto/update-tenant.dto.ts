import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, Matches } from 'class-validator';
import { IsDisplayText } from '../../../common/validation/text';
import { MODULE_NAME_PATTERN, PLAN_NAMES } from './create-tenant.dto';

export class UpdateTenantDto {
  @ApiPropertyOptional({ example: 'Acme Corp.', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiPropertyOptional({ enum: PLAN_NAMES })
  @IsOptional()
  @IsIn(PLAN_NAMES)
  plan?: string;

  @ApiPropertyOptional({ type: [String], example: ['contacts'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(MODULE_NAME_PATTERN, { each: true, message: 'each module name must match ^[a-z][a-z0-9_]{0,31}$' })
  enabledModules?: string[];
}
