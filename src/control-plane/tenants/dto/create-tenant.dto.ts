import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotIn,
  IsOptional,
  IsUUID,
  Matches,
  NotContains,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { catalogModuleNames } from '../../../platform/tenant-modules/module-catalog';
import { IsAccountEmail, IsDisplayText } from '../../../platform/validation/text';
import { IsPlanName, PLAN_NAME_PATTERN } from '../../plans/plan-name';

/** A DNS label; never shaped like a UUID, so a reference is unambiguously an id or a slug. */
export const SLUG_PATTERN = /^(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Every placement can be created; a `byod` tenant's data source is configured after it is active. */
export const CREATABLE_PLACEMENTS = ['pooled', 'dedicated', 'byod'] as const;
/** Subdomains that must never name a tenant. */
const RESERVED_SLUGS = ['www', 'api', 'app', 'admin', 'auth', 'control', 'docs', 'health', 'static', 'mail'];

/** The tenant's first admin: invited by e-mail, so only the holder of that mailbox becomes admin (and sets the password). */
export class TenantAdminDto {
  @ApiProperty({ example: 'owner@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;
}

/**
 * Swagger UI's "Try it out" body for POST /control/tenants: only what a first tenant needs. Built
 * from the schema, it would also send made-up pool and server ids, which answer 409.
 */
export const CREATE_TENANT_EXAMPLE = {
  summary: 'A pooled tenant on the starter plan',
  value: { slug: 'acme', name: 'Acme Corporation', plan: 'starter', placement: 'pooled', admin: { email: 'owner@acme.example' } },
};

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: 'DNS label: lower-case letters, digits and inner hyphens; also the subdomain' })
  @Matches(SLUG_PATTERN, {
    message: 'slug must be a DNS label (a-z, 0-9 and inner hyphens, starting with a letter, at most 63 characters) and not a UUID',
  })
  @NotContains('--', { message: 'slug must not contain "--"' })
  @IsNotIn(RESERVED_SLUGS, { message: `slug must not be one of the reserved names: ${RESERVED_SLUGS.join(', ')}` })
  slug: string;

  @ApiProperty({ example: 'Acme Corporation', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiProperty({ example: 'starter', pattern: PLAN_NAME_PATTERN.source, description: 'The name of an existing plan (GET /control/plans)' })
  @IsPlanName()
  plan: string;

  @ApiProperty({
    enum: CREATABLE_PLACEMENTS,
    example: 'pooled',
    description:
      "pooled: shared database with RLS; dedicated: a database of its own; byod: the customer's own database or API (PUT /control/tenants/{id}/data-source)",
  })
  @IsIn(CREATABLE_PLACEMENTS)
  placement: (typeof CREATABLE_PLACEMENTS)[number];

  @ApiProperty({
    type: TenantAdminDto,
    description: 'Is mailed an invitation to become the tenant admin (the answer does not say whether the e-mail has an account)',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => TenantAdminDto)
  admin: TenantAdminDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'pooled only: the pool to place it in (default: the one with most room)' })
  @IsOptional()
  @IsUUID()
  tenantPoolId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'dedicated only: the server to create its database on (default: most room)' })
  @IsOptional()
  @IsUUID()
  databaseServerId?: string;

  @ApiPropertyOptional({ type: [String], example: ['contacts', 'deals'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEachOneOf(catalogModuleNames, 'module')
  enabledModules?: string[];
}
