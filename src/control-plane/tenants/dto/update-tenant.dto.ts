import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { PLAN_NAMES } from './create-tenant.dto';
import { IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { catalogModuleNames } from '../../../platform/tenant-modules/module-catalog';

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
  @IsEachOneOf(catalogModuleNames, 'module')
  enabledModules?: string[];
}
