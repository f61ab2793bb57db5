import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional } from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { IsPlanName, PLAN_NAME_PATTERN } from '../../plans/plan-name';
import { IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { catalogModuleNames } from '../../../platform/tenant-modules/module-catalog';

export class UpdateTenantDto {
  @ApiPropertyOptional({ example: 'Acme Corp.', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiPropertyOptional({ example: 'professional', pattern: PLAN_NAME_PATTERN.source, description: 'The name of an existing plan' })
  @IsOptional()
  @IsPlanName()
  plan?: string;

  @ApiPropertyOptional({ type: [String], example: ['contacts'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEachOneOf(catalogModuleNames, 'module')
  enabledModules?: string[];
}
