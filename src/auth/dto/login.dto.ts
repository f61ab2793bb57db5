import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@tenantry.local' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ example: 'acme', description: 'Tenant slug or id to sign into; needed when the user belongs to several' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  tenant?: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}

export class SwitchTenantDto extends RefreshDto {
  @ApiProperty({ example: 'globex', description: 'Tenant slug or id' })
  @IsString()
  @MaxLength(63)
  tenant: string;
}
