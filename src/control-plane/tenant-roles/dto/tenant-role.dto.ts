import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ALL_TENANT_PERMISSIONS, TenantPermissionName } from '../../../platform/access/tenant-permissions';
import { ROLE_NAME_PATTERN } from '../../memberships/dto/member.dto';

export class TenantRoleDto {
  @ApiProperty({ example: 'sales_rep' })
  name: string;

  @ApiProperty({ example: 'Works deals and contacts' })
  description: string;

  @ApiProperty({ enum: ALL_TENANT_PERMISSIONS, isArray: true, example: ['notes.read'] })
  permissions: string[];

  @ApiProperty({ description: 'Built-in roles (tenant_admin, member) cannot be changed' })
  builtIn: boolean;
}

export class TenantPermissionDto {
  @ApiProperty({ example: 'notes.write' })
  name: string;

  @ApiProperty({ example: 'Create, change and delete notes' })
  description: string;
}

export class CreateTenantRoleDto {
  @ApiProperty({ example: 'sales_rep', description: 'Lower-case letters, digits and underscores; not tenant_admin or member' })
  @Matches(ROLE_NAME_PATTERN, { message: 'name must match ^[a-z][a-z0-9_]{0,63}$' })
  name: string;

  @ApiPropertyOptional({ example: 'Works deals and contacts', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ enum: ALL_TENANT_PERMISSIONS, isArray: true, example: ['tenant.read', 'notes.read'] })
  @IsArray()
  @ArrayMaxSize(ALL_TENANT_PERMISSIONS.length)
  @ArrayUnique()
  @IsIn(ALL_TENANT_PERMISSIONS, { each: true, message: `each permission must be one of: ${ALL_TENANT_PERMISSIONS.join(', ')}` })
  permissions: TenantPermissionName[];
}

export class UpdateTenantRoleDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ enum: ALL_TENANT_PERMISSIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ALL_TENANT_PERMISSIONS.length)
  @ArrayUnique()
  @IsIn(ALL_TENANT_PERMISSIONS, { each: true, message: `each permission must be one of: ${ALL_TENANT_PERMISSIONS.join(', ')}` })
  permissions?: TenantPermissionName[];
}
