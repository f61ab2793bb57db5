import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { allTenantPermissions, TenantPermissionName } from '../../../platform/access/tenant-permissions';
import { ArrayMaxSizeOf, IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { ROLE_NAME_PATTERN } from '../role-name';

export class TenantRoleDto {
  @ApiProperty({ example: 'sales_rep' })
  name: string;

  @ApiProperty({ example: 'Works deals and contacts' })
  description: string;

  @ApiProperty({ enum: allTenantPermissions, isArray: true, example: ['notes.read'] })
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

  @ApiProperty({ enum: allTenantPermissions, isArray: true, example: ['tenant.read', 'notes.read'] })
  @IsArray()
  @ArrayMaxSizeOf(() => allTenantPermissions().length)
  @ArrayUnique()
  @IsEachOneOf(allTenantPermissions, 'permission')
  permissions: TenantPermissionName[];
}

export class UpdateTenantRoleDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ enum: allTenantPermissions, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSizeOf(() => allTenantPermissions().length)
  @ArrayUnique()
  @IsEachOneOf(allTenantPermissions, 'permission')
  permissions?: TenantPermissionName[];
}
