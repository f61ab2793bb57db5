import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { RequestContext } from '../common/request-context/request-context';
import { AccessChanges } from '../control-plane/access-changes';
import { AuditService } from '../control-plane/audit/audit.service';
import { InvitationDto } from '../control-plane/invitations/dto/invitation.dto';
import { InvitationsService } from '../control-plane/invitations/invitations.service';
import { TenantRolesService } from '../control-plane/tenant-roles/tenant-roles.service';
import { MemberDto } from '../control-plane/tenants/dto/member.dto';
import { TenantMembership } from '../control-plane/tenants/entities/tenant-membership.entity';
import { Tenant } from '../control-plane/tenants/entities/tenant.entity';
import { assertAnotherTenantAdmin } from '../control-plane/tenants/tenant-admins';
import { TenantsService } from '../control-plane/tenants/tenants.service';
import { User } from '../control-plane/users/entities/user.entity';
import { assertWithinOwnPermissions } from './least-privilege';

/**
 * The current tenant's users, as its admins manage them; the tenant is never a parameter.
 * Least privilege throughout: nobody invites to, grants or takes away a role whose permissions
 * they do not hold themselves, and nobody changes their own role.
 */
@Injectable()
export class TenantUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: TenantContext,
    private readonly request: RequestContext,
    private readonly tenants: TenantsService,
    private readonly roles: TenantRolesService,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  list(): Promise<MemberDto[]> {
    return this.tenants.listMembers(this.tenantId());
  }

  /** Invites someone with a role within the caller's own permissions; the answer never says whether the e-mail has an account. */
  async invite(email: string, role: string): Promise<InvitationDto> {
    const tenantId = this.tenantId();
    await this.assertRoleWithinCallerPermissions(this.dataSource.manager, tenantId, role, 'role');
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
    const member = await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembership(manager, tenantId, userId);
      await this.roles.assertAssignable(manager, tenantId, role);
      await this.assertRoleWithinCallerPermissions(manager, tenantId, membership.role, 'userId');
      await this.assertRoleWithinCallerPermissions(manager, tenantId, role, 'role');
      if (membership.role === 'tenant_admin' && role !== 'tenant_admin') await assertAnotherTenantAdmin(manager, tenantId, userId);
      if (membership.role !== role) {
        await manager.update(TenantMembership, { tenantId, userId }, { role });
        await this.audit.record(manager, { action: 'membership.update', targetType: 'membership', targetId: userId, tenantId, changes: { role: { from: membership.role, to: role } } });
      }
      const user = await manager.findOneByOrFail(User, { id: userId });
      return { userId, email: user.email, name: user.name, role, createdAt: membership.createdAt };
    });
    this.changes.membershipChanged(userId, tenantId);
    return member;
  }

  /** Removes the user from this tenant (their account and other tenants stay); never the last tenant admin, nor someone who may do more than the caller. */
  async remove(userId: string): Promise<void> {
    const tenantId = this.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembership(manager, tenantId, userId);
      if (userId !== this.callerId()) await this.assertRoleWithinCallerPermissions(manager, tenantId, membership.role, 'userId');
      if (membership.role === 'tenant_admin') await assertAnotherTenantAdmin(manager, tenantId, userId);
    });
    await this.tenants.removeMember(tenantId, userId);
  }

  private async assertRoleWithinCallerPermissions(manager: EntityManager, tenantId: string, role: string, field: string): Promise<void> {
    const permissions = await this.roles.permissionsOf(tenantId, role, manager);
    if (permissions) assertWithinOwnPermissions(permissions, this.request.actor?.tenantPermissions ?? [], field, `role "${role}"`);
  }

  private assertNotSelf(userId: string, what: string): void {
    if (userId === this.callerId()) throw new ForbiddenException(`You cannot ${what}; ask another tenant admin`);
  }

  private async lockMembership(manager: EntityManager, tenantId: string, userId: string): Promise<TenantMembership> {
    // The tenant row lock serializes admin changes, so two admins cannot demote each other at once.
    await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
    const membership = await manager.findOne(TenantMembership, { where: { tenantId, userId } });
    if (!membership) throw new NotFoundException(`User ${userId} is not a user of this tenant`);
    return membership;
  }

  private callerId(): string | undefined {
    return this.request.actor?.userId;
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
