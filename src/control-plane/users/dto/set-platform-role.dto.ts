import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { PLATFORM_ROLES, PlatformRole } from '../../schema/user.entity';

export class SetPlatformRoleDto {
  @ApiProperty({ enum: PLATFORM_ROLES, nullable: true, description: 'null removes the platform role' })
  @ValidateIf((dto: SetPlatformRoleDto) => dto.role !== null)
  @IsIn(PLATFORM_ROLES)
  role: PlatformRole | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'For super_admin: the tenants they administer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  tenantIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'For super_admin: those of `tenantIds` whose plan (and so quotas) they may change; none unless listed',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  planChangeTenantIds?: string[];
}
