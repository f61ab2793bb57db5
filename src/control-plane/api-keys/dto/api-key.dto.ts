import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsOptional } from 'class-validator';
import { allTenantPermissions, TenantPermissionName } from '../../../platform/access/tenant-permissions';
import { ArrayMaxSizeOf, IsEachOneOf } from '../../../platform/tenant-modules/catalog-validators';
import { IsDisplayText } from '../../../platform/validation/text';

export class CreatePlatformApiKeyDto {
  @ApiProperty({ example: 'billing-sync', maxLength: 100, description: 'What the key is for, so people can tell keys apart' })
  @IsDisplayText(100)
  name: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-12-31T23:59:59Z', description: 'When the key stops working; omitted: never' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class CreateTenantApiKeyDto extends CreatePlatformApiKeyDto {
  @ApiProperty({
    enum: allTenantPermissions,
    isArray: true,
    example: ['contacts.read', 'contacts.write'],
    description: 'What the key may do; each must be a permission the creator holds',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSizeOf(() => allTenantPermissions().length)
  @ArrayUnique()
  @IsEachOneOf(allTenantPermissions, 'permission')
  permissions: TenantPermissionName[];
}

/** An API key as lists show it: never its secret. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'billing-sync' })
  name: string;

  @ApiProperty({ example: 'tnt_live_3f9c0a1b2c3d4e5f', description: 'The start of the key: its kind and public id' })
  prefix: string;

  @ApiProperty({ example: 'x9Qa', description: 'The last characters of the key' })
  lastChars: string;

  @ApiProperty({
    enum: allTenantPermissions,
    isArray: true,
    description: 'Tenant keys: what the key may do (within its creator’s permissions); platform keys: empty',
  })
  permissions: string[];

  @ApiProperty({ format: 'uuid', description: 'The user who created the key; the key never does more than this user may' })
  createdByUserId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'tnt_live_3f9c0a1b2c3d4e5f_q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9zx9Qa',
    description: 'The key itself, shown this once: only a hash is stored. Send it as `Authorization: Bearer <key>`.',
  })
  key: string;
}
