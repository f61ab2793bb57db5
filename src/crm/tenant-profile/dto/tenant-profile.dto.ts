import { ApiProperty } from '@nestjs/swagger';
import { Placement, PLACEMENTS, TENANT_STATUSES, TenantProfile, TenantStatus } from '../../../control-plane/tenant-settings/tenant-profile';

/**
 * The signed-in tenant as its own users see it. Where and how it is hosted (database, server,
 * pool, role, schema version, provisioning steps, failure reasons) is for platform admins only
 * (`GET /control/tenants/{id}`), so none of it is here.
 */
export class TenantProfileDto {
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

  @ApiProperty({
    enum: PLACEMENTS,
    description: 'Kind of placement only: shared (pooled), its own database (dedicated) or the customer’s (byod)',
  })
  placement: Placement;

  @ApiProperty({ type: [String], example: ['contacts', 'accounts'] })
  enabledModules: string[];

  @ApiProperty({ type: Object, example: { timezone: 'UTC', currency: 'USD', locale: 'en' } })
  settings: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  static from(tenant: TenantProfile): TenantProfileDto {
    const { id, slug, name, status, plan, placement, enabledModules, settings, createdAt } = tenant;
    return { id, slug, name, status, plan, placement, enabledModules, settings, createdAt };
  }
}
