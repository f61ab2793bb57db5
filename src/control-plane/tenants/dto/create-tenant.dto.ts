import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, Matches, NotContains } from 'class-validator';
import { IsDisplayText } from '../../../common/validation/text';
import { Placement, PLACEMENTS } from '../entities/tenant.entity';

export const PLAN_NAMES = ['starter', 'professional', 'enterprise'] as const;
export const SLUG_PATTERN = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: 'DNS label: lower-case letters, digits and inner hyphens; also the subdomain' })
  @Matches(SLUG_PATTERN, { message: 'slug must be a DNS label: a-z, 0-9 and inner hyphens, starting with a letter, at most 63 characters' })
  @NotContains('--', { message: 'slug must not contain "--"' })
  slug: string;

  @ApiProperty({ example: 'Acme Corporation', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiProperty({ enum: PLAN_NAMES, example: 'starter' })
  @IsIn(PLAN_NAMES)
  plan: string;

  @ApiProperty({ enum: PLACEMENTS, example: 'pooled' })
  @IsIn(PLACEMENTS)
  placement: Placement;

  @ApiPropertyOptional({ type: [String], example: ['contacts', 'deals'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(MODULE_NAME_PATTERN, { each: true, message: 'each module name must match ^[a-z][a-z0-9_]{0,31}$' })
  enabledModules?: string[];
}
