import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Swagger UI's "Try it out" body for POST /auth/login: the platform admin of a fresh start (the default ADMIN_EMAIL). */
export const ADMIN_LOGIN_EXAMPLE = {
  summary: 'The platform admin (default ADMIN_EMAIL)',
  description: 'Replace the password with ADMIN_PASSWORD, or with the one Tenantry generated and printed at its first start.',
  value: { email: 'admin@tenantry.local', password: 'ADMIN_PASSWORD or the generated one' },
};

export class LoginDto {
  @ApiProperty({ example: ADMIN_LOGIN_EXAMPLE.value.email })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ description: 'Tenant slug or id to sign into (e.g. `acme`); needed when the user belongs to several' })
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
