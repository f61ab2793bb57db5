import { ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { RequestContext } from '../../platform/request-context/request-context';
import { InvitationDto } from '../../control-plane/invitations/dto/invitation.dto';
import { InvitationsService } from '../../control-plane/invitations/invitations.service';
import { TenantRolesService } from '../../control-plane/tenant-roles/tenant-roles.service';
import { MemberDto } from '../../control-plane/memberships/dto/member.dto';
import { MembershipDirectory } from '../../control-plane/memberships/membership-directory';
import { MembershipsService } from '../../control-plane/memberships/memberships.service';
import { assertWithinOwnPermissions } from './least-privilege';

/**
 * The current tenant's users, as its admins manage them; the tenant is never a parameter.
 * Least privilege throughout: nobody invites to, grants or takes away a role whose permissions
 * they do not hold themselves, and nobody changes their own role.
 */
@Injectable()
export class TenantUsersService {
  constructor(
    private readonly context: TenantContext,
    private readonly request: RequestContext,
    private readonly members: MembershipDirectory,
    private readonly memberships: MembershipsService,
    private readonly roles: TenantRolesService,
    private readonly invitations: InvitationsService,
  ) {}

  list(): Promise<MemberDto[]> {
    return this.members.list(this.tenantId());
  }

  /** Invites someone with a role within the caller's own permissions; the answer never says whether the e-mail has an account. */
  async invite(email: string, role: string): Promise<InvitationDto> {
    const tenantId = this.tenantId();
    await this.assertRoleWithinCallerPermissions(tenantId, role, 'role');
    return this.invitations.invite({ tenantId, email, role });
  }

  listInvitations(): Promise<InvitationDto[]> {
    return this.invitations.list(this.tenantId());
  }

  revokeInvitation(id: string): Promise<void> {
    return this.invitations.revoke(this.tenantId(), id);
  }

  async changeRole(userId: string, role: string): Promise<MemberDto> {
    const tenantId = this.tenantId();
    this.assertNotSelf(userId, 'change your own role');
    return this.memberships.changeRole(tenantId, userId, role, async (manager, currentRole) => {
      await this.assertRoleWithinCallerPermissions(tenantId, currentRole, 'userId', manager);
      await this.assertRoleWithinCallerPermissions(tenantId, role, 'role', manager);
    });
  }

  /** Removes the user from this tenant; never the last tenant admin, nor someone who may do more than the caller. */
  remove(userId: string): Promise<void> {
    const tenantId = this.tenantId();
    return this.memberships.remove(tenantId, userId, async (manager, currentRole) => {
      if (userId !== this.callerId()) await this.assertRoleWithinCallerPermissions(tenantId, currentRole, 'userId', manager);
    });
  }

  private async assertRoleWithinCallerPermissions(tenantId: string, role: string, field: string, manager?: EntityManager): Promise<void> {
    const permissions = await this.roles.permissionsOf(tenantId, role, manager);
    if (permissions) assertWithinOwnPermissions(permissions, this.request.actor?.tenantPermissions ?? [], field, `role "${role}"`);
  }

  private assertNotSelf(userId: string, what: string): void {
    if (userId === this.callerId()) throw new ForbiddenException(`You cannot ${what}; ask another tenant admin`);
  }

  private callerId(): string | undefined {
    return this.request.actor?.userId;
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
