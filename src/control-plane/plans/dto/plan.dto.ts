import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { catalogModuleNames } from '../../../platform/tenant-modules/module-catalog';
import { Plan } from '../../schema/plan.entity';
import { IsPlanName, PLAN_NAME_RULE } from '../plan-name';

export class PlanDto {
  @ApiProperty({ example: 'starter' })
  name: string;

  @ApiProperty({ example: 'Starter' })
  displayName: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 5, description: 'Users per tenant; null: unlimited' })
  maxUsers: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1000, description: 'Contacts per tenant; null: unlimited' })
  maxContacts: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1024,
    description: 'Storage in MiB, as the last usage measurement found it; at or over it, writes to /api are refused (409); null: unlimited',
  })
  storageMb: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 100000,
    description: 'Calls to /api per UTC calendar month (usage metering); past it, /api answers 429 until the next month; null: unlimited',
  })
  maxApiCallsPerMonth: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 600,
    description: 'Requests per minute to /api of the whole tenant; null: unlimited',
  })
  tenantRequestsPerMinute: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 300,
    description: 'Requests per minute to /api of each user, and of each API key, of the tenant; null: unlimited',
  })
  principalRequestsPerMinute: number | null;

  @ApiProperty({ type: [String], example: ['notes', 'contacts'] })
  modules: string[];

  @ApiProperty({ enum: ['pooled', 'dedicated'], description: 'Placement of self-service registrations' })
  defaultPlacement: 'pooled' | 'dedicated';

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(plan: Plan): PlanDto {
    const { name, displayName, maxUsers, maxContacts, storageMb, maxApiCallsPerMonth, modules, defaultPlacement, updatedAt } = plan;
    const { tenantRequestsPerMinute, principalRequestsPerMinute } = plan;
    return {
      name,
      displayName,
      maxUsers,
      maxContacts,
      storageMb,
      maxApiCallsPerMonth,
      tenantRequestsPerMinute,
      principalRequestsPerMinute,
      modules,
      defaultPlacement,
      updatedAt,
    };
  }
}

const QUOTA_MAX = 100_000_000;
/** A month of calls at a thousand a second stays within PostgreSQL's integer. */
const API_CALLS_MAX = 2_000_000_000;

/** A plan's quotas and rates as input, each optional; `null` makes one unlimited. */
class PlanLimitsDto {
  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 10 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX)
  maxUsers?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 5000 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX)
  maxContacts?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 2048 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX)
  storageMb?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 100000 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(API_CALLS_MAX)
  maxApiCallsPerMonth?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 1200 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX)
  tenantRequestsPerMinute?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 600 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX)
  principalRequestsPerMinute?: number | null;

  @ApiPropertyOptional({ type: [String], example: ['notes', 'contacts', 'deals'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEachOneOf(catalogModuleNames, 'module')
  modules?: string[];

  @ApiPropertyOptional({ enum: ['pooled', 'dedicated'] })
  @IsOptional()
  @IsIn(['pooled', 'dedicated'])
  defaultPlacement?: 'pooled' | 'dedicated';
}

/** Every field optional; `null` makes a quota unlimited. */
export class UpdatePlanDto extends PlanLimitsDto {
  @ApiPropertyOptional({ example: 'Starter', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  displayName?: string;
}

/** A new plan: quotas and rates left out are unlimited, no modules unless listed, pooled unless said. */
export class CreatePlanDto extends PlanLimitsDto {
  @ApiProperty({ example: 'growth', pattern: '^[a-z][a-z0-9_-]{0,31}$', description: `The plan's name for good: ${PLAN_NAME_RULE}` })
  @IsPlanName()
  name: string;

  @ApiProperty({ example: 'Growth', maxLength: 100 })
  @IsDisplayText(100)
  displayName: string;
}
