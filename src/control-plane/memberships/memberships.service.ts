import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessChanges } from '../access-changes';
import { QuotaAlerts } from '../alerts/quota-alerts';
import { PlatformEvents } from '../domain-events/platform-events';
import { AuditService } from '../audit/audit.service';
import { assertUserQuota } from './user-quota';
import { SessionsService } from '../sessions/sessions.service';
import { recordSessionRevocation } from '../sessions/session-revocations';
import { TenantRolesService } from '../tenant-roles/tenant-roles.service';
import { Tenant } from '../schema/tenant.entity';
import { User } from '../schema/user.entity';
import { MemberDto } from './dto/member.dto';
import { TenantMembership } from '../schema/tenant-membership.entity';
import { assertAnotherTenantAdmin } from './tenant-admins';

/**
 * A caller's own rule about a change of someone's membership (e.g. least privilege on /api), run
 * in the changing transaction with the tenant locked, given the member's current role.
 */
export type MembershipChangeRule = (manager: EntityManager, currentRole: string) => Promise<void>;

const allowed: MembershipChangeRule = async () => undefined;

/** What the audit entry of a new membership tells beyond its role. */
export interface JoiningAudit {
  actorUserId?: string;
  changes: Record<string, unknown>;
}

/** The only writer of memberships: who joins a tenant, with which role, and who leaves it. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: PlatformEvents,
    private readonly roles: TenantRolesService,
    private readonly sessions: SessionsService,
    private readonly changes: AccessChanges,
    private readonly quotaAlerts: QuotaAlerts,
  ) {}

  /**
   * Adds a member inside the caller's transaction (the tenant row locked there), within the plan's
   * user quota. The caller announces the membership change after committing.
   */
  async addWithin(
    manager: EntityManager,
    tenant: { id: string; plan: string },
    userId: string,
    role: string,
    audit: JoiningAudit,
  ): Promise<void> {
    const standing = await assertUserQuota(manager, tenant);
    if (standing) this.quotaAlerts.nearlyReached(tenant.id, standing.quota, standing.used, 'maxUsers');
    await manager.insert(TenantMembership, { tenantId: tenant.id, userId, role });
    await this.audit.record(manager, {
      action: 'membership.create',
      targetType: 'membership',
      targetId: userId,
      tenantId: tenant.id,
      actorUserId: audit.actorUserId,
      changes: audit.changes,
    });
    await this.events.raise(manager, 'user.added', tenant.id, { userId, role });
  }

  /** Changes an existing member's role; nobody joins a tenant but through an invitation they accept. */
  async changeRole(tenantId: string, userId: string, role: string, assertAllowed: MembershipChangeRule = allowed): Promise<MemberDto> {
    const member = await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockedMembership(manager, tenantId, userId);
      await this.roles.assertAssignable(manager, tenantId, role);
      await assertAllowed(manager, membership.role);
      if (membership.role === 'tenant_admin' && role !== 'tenant_admin') await assertAnotherTenantAdmin(manager, tenantId, userId);
      if (membership.role !== role) {
        await manager.update(TenantMembership, { tenantId, userId }, { role });
        await this.audit.record(manager, {
          action: 'membership.update',
          targetType: 'membership',
          targetId: userId,
          tenantId,
          changes: { role: { from: membership.role, to: role } },
        });
        await this.events.raise(manager, 'user.role_changed', tenantId, { userId, from: membership.role, to: role });
      }
      const user = await manager.findOneByOrFail(User, { id: userId });
      return { userId, email: user.email, name: user.name, role, createdAt: membership.createdAt };
    });
    this.changes.membershipChanged(userId, tenantId);
    return member;
  }

  /** Removes a member (their account and other tenants stay), never the tenant's last tenant admin. */
  async remove(tenantId: string, userId: string, assertAllowed: MembershipChangeRule = allowed): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockedMembership(manager, tenantId, userId);
      await assertAllowed(manager, membership.role);
      if (membership.role === 'tenant_admin') await assertAnotherTenantAdmin(manager, tenantId, userId);
      await manager.delete(TenantMembership, { tenantId, userId });
      await this.sessions.revokeRefreshTokensWithin(manager, { userId, tenantId });
      await recordSessionRevocation(manager, { userId, tenantId });
      await this.audit.record(manager, {
        action: 'membership.delete',
        targetType: 'membership',
        targetId: userId,
        tenantId,
        changes: { role: membership.role },
      });
      await this.events.raise(manager, 'user.removed', tenantId, { userId, role: membership.role });
    });
    this.changes.membershipChanged(userId, tenantId);
  }

  /** Ends every membership of a tenant whose data was purged, in the caller's transaction. */
  async removeAllWithin(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.delete(TenantMembership, { tenantId });
  }

  /** The tenant row lock serializes changes of members, so two admins cannot demote or remove each other at once. */
  private async lockedMembership(manager: EntityManager, tenantId: string, userId: string): Promise<TenantMembership> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!tenant) throw new NotFoundException(`Tenant ${tenantId} not found`);
    const membership = await manager.findOne(TenantMembership, { where: { tenantId, userId } });
    if (!membership) throw new NotFoundException(`User ${userId} is not a member of this tenant`);
    return membership;
  }
}
