import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { PlacementChangeDto } from './placement-change.dto';
import { ProvisioningStep, PROVISIONING_STEP_STATUSES, ProvisioningStepStatus } from '../../schema/provisioning-step.entity';
import { Placement, PLACEMENTS, Tenant, TENANT_STATUSES, TenantStatus } from '../../schema/tenant.entity';

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'acme' })
  slug: string;

  @ApiProperty({ example: 'Acme Corporation' })
  name: string;

  @ApiProperty({ enum: TENANT_STATUSES })
  status: TenantStatus;

  @ApiProperty({ example: 'starter' })
  plan: string;

  @ApiProperty({ enum: PLACEMENTS })
  placement: Placement;

  @ApiProperty({ type: [String] })
  enabledModules: string[];

  @ApiPropertyOptional({
    example: 'Notes1763880000001',
    nullable: true,
    type: String,
    description: 'Last tenant migration applied to its database (platform admins only)',
  })
  schemaVersion?: string | null;

  @ApiProperty({ type: Object, example: { timezone: 'UTC', currency: 'USD', locale: 'en' } })
  settings: Record<string, string>;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'A self-service registrant, who becomes tenant admin at provisioning; null when the admin was invited (they join by accepting)',
  })
  adminUserId: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'database: password authentication failed for user "tenantry"',
    description: 'Why provisioning failed (platform admins only)',
  })
  failureReason?: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'A deleted tenant can be purged from then on' })
  purgeAfter: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(tenant: Tenant): TenantDto {
    const {
      id,
      slug,
      name,
      status,
      plan,
      placement,
      enabledModules,
      schemaVersion,
      settings,
      adminUserId,
      failureReason,
      deletedAt,
      purgeAfter,
      createdAt,
      updatedAt,
    } = tenant;
    return {
      id,
      slug,
      name,
      status,
      plan,
      placement,
      enabledModules,
      schemaVersion,
      settings,
      adminUserId,
      failureReason,
      deletedAt,
      purgeAfter,
      createdAt,
      updatedAt,
    };
  }
}

export class ProvisioningStepDto {
  @ApiProperty({ type: 'integer', example: 1, description: 'Each run of the provisioning job is an attempt' })
  attempt: number;

  @ApiProperty({ example: 'database', enum: ['place', 'database', 'defaults', 'admin', 'activate'] })
  step: string;

  @ApiProperty({ enum: PROVISIONING_STEP_STATUSES })
  status: ProvisioningStepStatus;

  @ApiProperty({ nullable: true, type: String, example: 'tenant_0b6… ready (template) at Notes1763880000001' })
  detail: string | null;

  @ApiProperty({ format: 'date-time' })
  startedAt: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: Date | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 412 })
  durationMs: number | null;
}

export class TenantDetailDto extends TenantDto {
  @ApiPropertyOptional({
    type: [ProvisioningStepDto],
    description: 'Every provisioning step of every attempt, in order (platform admins only)',
  })
  provisioning?: ProvisioningStepDto[];

  static fromWithSteps(tenant: Tenant, steps: ProvisioningStep[]): TenantDetailDto {
    const provisioning = steps.map(({ attempt, step, status, detail, startedAt, finishedAt, durationMs }) => ({
      attempt,
      step,
      status,
      detail,
      startedAt,
      finishedAt,
      durationMs,
    }));
    return { ...TenantDto.from(tenant), provisioning };
  }
}

/**
 * A tenant as a super admin sees it: how it is hosted (schema version, provisioning steps with
 * database names and servers, failure reasons) is for platform admins only.
 */
/** A tenant after a change: a new plan enables its modules, except those still lacking settings. */
export class TenantUpdatedDto extends TenantDto {
  @ApiProperty({
    type: [String],
    example: ['invoices'],
    description:
      'Modules of a new plan that were not enabled because the tenant lacks their settings (PATCH /api/tenant/settings, then enable them)',
  })
  modulesAwaitingSettings: string[];

  @ApiPropertyOptional({
    type: PlacementChangeDto,
    description:
      'Platform admins: present when a new plan places its tenants elsewhere than this tenant lives (pooled or dedicated): ' +
      'the move it calls for, and the move itself when `?move=true` started it',
  })
  placementChange?: PlacementChangeDto;
}

export function withoutHostingDetails(tenant: TenantDto | TenantDetailDto): TenantDto {
  const { schemaVersion: _schemaVersion, failureReason: _failureReason, provisioning: _provisioning, ...rest } = tenant as TenantDetailDto;
  return rest;
}

export class TenantPageDto extends PageDtoOf(TenantDto) {}
