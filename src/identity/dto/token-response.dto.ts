import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TenantPermissionDto } from '../../control-plane/tenant-roles/dto/tenant-role.dto';

export class TenantRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'acme' })
  slug: string;

  @ApiProperty({ example: 'Acme Corporation' })
  name: string;

  @ApiProperty({ example: 'tenant_admin' })
  role: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'JWT (HS256) with claims sub, tid (when signed into a tenant) and roles' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ type: 'integer', example: 900, description: 'Access token lifetime in seconds' })
  expiresIn: number;

  @ApiProperty({ description: 'Single-use: each refresh returns the next one' })
  refreshToken: string;

  @ApiProperty({ type: TenantRefDto, nullable: true })
  tenant: TenantRefDto | null;

  @ApiProperty({ example: ['tenant_admin'] })
  roles: string[];

  @ApiPropertyOptional({
    enum: ['mfa-enrolment'],
    description:
      'Present only on a platform admin without a second factor while REQUIRE_ADMIN_MFA=true: the token reaches GET /auth/me and /auth/mfa/totp/setup|confirm only',
  })
  scope?: 'mfa-enrolment';
}

export class MembershipDto extends TenantRefDto {
  @ApiProperty({ example: 'active' })
  status: string;
}

/** The tenant a token is signed into, with what the caller's role there grants. */
export class SignedInTenantDto extends TenantRefDto {
  @ApiProperty({
    type: [TenantPermissionDto],
    description:
      'What the role grants in this tenant, in catalog order: the permissions the /api routes decide by, read as they are ' +
      '(a role changed meanwhile counts at once). tenant_admin holds every one.',
  })
  permissions: TenantPermissionDto[];
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  platformRole: string | null;

  @ApiProperty({
    type: SignedInTenantDto,
    nullable: true,
    description: 'The tenant this token is signed into, with the role and its permissions; null without one (no tenant permission then)',
  })
  tenant: SignedInTenantDto | null;

  @ApiProperty({ type: [MembershipDto] })
  memberships: MembershipDto[];

  @ApiProperty({ description: 'Whether sign-in asks for a TOTP code' })
  mfaEnabled: boolean;
}
