import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsAccountEmail, IsDisplayText, IsNewPassword } from '../../common/validation/text';
import { ROLE_NAME_PATTERN } from '../../control-plane/tenants/dto/member.dto';

/** Adds someone to the current tenant: an existing account by email, or a new one with a password. */
export class AddTenantUserDto {
  @ApiProperty({ example: 'sam@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, writeOnly: true, description: 'Required for a new user; must be omitted for an existing account' })
  @IsOptional()
  @IsNewPassword()
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
