import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { catalogModuleNames } from '../../../platform/tenant-modules/module-catalog';
import { Plan } from '../../schema/plan.entity';

export class PlanDto {
  @ApiProperty({ example: 'starter' })
  name: string;

  @ApiProperty({ example: 'Starter' })
  displayName: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 5, description: 'Users per tenant; null: unlimited' })
  maxUsers: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1000, description: 'Contacts per tenant; null: unlimited' })
  maxContacts: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1024, description: 'Storage in MiB; null: unlimited' })
  storageMb: number | null;

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
    const { name, displayName, maxUsers, maxContacts, storageMb, modules, defaultPlacement, updatedAt } = plan;
    const { tenantRequestsPerMinute, principalRequestsPerMinute } = plan;
    return {
      name,
      displayName,
      maxUsers,
      maxContacts,
      storageMb,
      tenantRequestsPerMinute,
      principalRequestsPerMinute,
      modules,
      defaultPlacement,
      updatedAt,
    };
  }
}

const QUOTA_MAX = 100_000_000;

/** Every field optional; `null` makes a quota unlimited. */
export class UpdatePlanDto {
  @ApiPropertyOptional({ example: 'Starter', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  displayName?: string;

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
