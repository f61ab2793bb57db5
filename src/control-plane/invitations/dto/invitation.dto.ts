import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsAccountEmail, IsDisplayText, IsNewPassword } from '../../../platform/validation/text';
import { ROLE_NAME_PATTERN } from '../../tenant-roles/role-name';
import { Invitation, invitationStatus, InvitationStatus } from '../../schema/invitation.entity';

export class InvitationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'sam@acme.example' })
  email: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for an invitation to the platform without a tenant',
  })
  tenantId: string | null;

  @ApiPropertyOptional({ type: String, example: 'member', nullable: true, description: 'The tenant role the invitee gets on accepting' })
  role: string | null;

  @ApiPropertyOptional({ enum: ['platform_admin'], nullable: true })
  platformRole: 'platform_admin' | null;

  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] })
  status: InvitationStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Who invited' })
  invitedBy: string | null;

  @ApiProperty()
  expiresAt: Date;

  @ApiProperty()
  createdAt: Date;

  static from(invitation: Invitation): InvitationDto {
    const { id, email, tenantId, role, platformRole, invitedBy, expiresAt, createdAt } = invitation;
    return { id, email, tenantId, role, platformRole, status: invitationStatus(invitation), invitedBy, expiresAt, createdAt };
  }
}

/** Invites someone into the current tenant; the answer is the same whether or not the e-mail has an account. */
export class InviteToTenantDto {
  @ApiProperty({ example: 'sam@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiProperty({ example: 'member', description: 'tenant_admin, member or a custom role of this tenant, within your own permissions' })
  @Matches(ROLE_NAME_PATTERN, { message: 'role must match ^[a-z][a-z0-9_]{0,63}$' })
  role: string;
}

/** Invites someone to open an account on the platform, optionally as a platform admin. */
export class InviteToPlatformDto {
  @ApiProperty({ example: 'ops@example.com', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiPropertyOptional({ enum: ['platform_admin'], description: 'Make the new account a platform admin on accepting' })
  @IsOptional()
  @IsIn(['platform_admin'])
  platformRole?: 'platform_admin';
}

export class InvitationTokenDto {
  @ApiProperty({ description: 'The token from the invitation mail', example: 'q3x9…' })
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'token must be the token from the mail' })
  token: string;
}

/** Accepts an invitation by opening the account it was sent for: the invitee chooses the password. */
export class AcceptInvitationDto extends InvitationTokenDto {
  @ApiProperty({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsNewPassword()
  password: string;

  @ApiPropertyOptional({ example: 'Sam Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;
}

export class InvitationTenantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  slug: string;

  @ApiProperty()
  name: string;
}

/** What an invitation offers, as its holder sees it before accepting. */
export class InvitationPreviewDto {
  @ApiProperty()
  email: string;

  @ApiPropertyOptional({ type: InvitationTenantDto, nullable: true })
  tenant: InvitationTenantDto | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  role: string | null;

  @ApiPropertyOptional({ enum: ['platform_admin'], nullable: true })
  platformRole: 'platform_admin' | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Name or e-mail of who invited' })
  invitedBy: string | null;

  @ApiProperty()
  expiresAt: Date;

  @ApiProperty({ description: 'Whether to sign in and accept (true) or to choose a password (false)' })
  accountExists: boolean;
}

export class AcceptedInvitationDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty()
  email: string;

  @ApiPropertyOptional({ type: InvitationTenantDto, nullable: true, description: 'The tenant joined; sign in to it' })
  tenant: InvitationTenantDto | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  role: string | null;
}
