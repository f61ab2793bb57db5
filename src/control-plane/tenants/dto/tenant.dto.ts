import { ApiProperty } from '@nestjs/swagger';
import { Placement, PLACEMENTS, Tenant, TENANT_STATUSES, TenantStatus } from '../entities/tenant.entity';

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

  @ApiProperty({ example: 'Notes1763880000001', nullable: true, type: String, description: 'Last tenant migration applied to its database' })
  schemaVersion: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(tenant: Tenant): TenantDto {
    const { id, slug, name, status, plan, placement, enabledModules, schemaVersion, createdAt, updatedAt } = tenant;
    return { id, slug, name, status, plan, placement, enabledModules, schemaVersion, createdAt, updatedAt };
  }
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] })
  items: TenantDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
