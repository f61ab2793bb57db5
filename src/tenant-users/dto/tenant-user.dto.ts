import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsDisplayText, NormalizeEmail } from '../../common/validation/text';
import { ROLE_NAME_PATTERN } from '../../control-plane/tenants/dto/member.dto';

/** Adds someone to the current tenant: an existing account by email, or a new one with a password. */
export class AddTenantUserDto {
  @ApiProperty({ example: 'sam@acme.example', maxLength: 254 })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, writeOnly: true, description: 'Required for a new user; must be omitted for an existing account' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ example: 'Sam Doe', maxLength: 200, description: 'For a new user' })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiProperty({ example: 'member', description: 'tenant_admin, member or a custom role of this tenant' })
  @Matches(ROLE_NAME_PATTERN, { message: 'role must match ^[a-z][a-z0-9_]{0,63}$' })
  role: string;
}

export class ChangeTenantUserRoleDto {
  @ApiProperty({ example: 'sales_rep' })
  @Matches(ROLE_NAME_PATTERN, { message: 'role must match ^[a-z][a-z0-9_]{0,63}$' })
  role: string;
}
