import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { AccessChanges } from '../control-plane/access-changes';
import { AuditService } from '../control-plane/audit/audit.service';
import { assertUserQuota } from '../control-plane/plans/plan-quotas';
import { TenantRolesService } from '../control-plane/tenant-roles/tenant-roles.service';
import { MemberDto } from '../control-plane/tenants/dto/member.dto';
import { TenantMembership } from '../control-plane/tenants/entities/tenant-membership.entity';
import { Tenant } from '../control-plane/tenants/entities/tenant.entity';
import { TenantsService } from '../control-plane/tenants/tenants.service';
import { User } from '../control-plane/users/entities/user.entity';
import { PasswordHasher } from '../control-plane/users/password-hasher';
import { AddTenantUserDto } from './dto/tenant-user.dto';

/** The current tenant's users, as its tenant admin manages them; the tenant is never a parameter. */
@Injectable()
export class TenantUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: TenantContext,
    private readonly tenants: TenantsService,
    private readonly roles: TenantRolesService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  list(): Promise<MemberDto[]> {
    return this.tenants.listMembers(this.tenantId());
  }

  /** Adds an existing account, or creates one, within the plan's user quota. */
  async add(dto: AddTenantUserDto): Promise<MemberDto> {
    const tenantId = this.tenantId();
    const existing = await this.dataSource.getRepository(User).findOne({ where: { email: dto.email } });
    if (existing && dto.password) throw fieldError('password', 'must be omitted: this user already has an account');
    if (!existing && !dto.password) throw fieldError('password', 'is required for a new user');
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : undefined;
    const member = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      await this.roles.assertAssignable(manager, tenantId, dto.role);
      let user = existing;
      if (user && (await manager.exists(TenantMembership, { where: { tenantId, userId: user.id } }))) {
        throw new ConflictException({ message: `${dto.email} is already a user of this tenant; change their role instead`, details: [{ field: 'email', problems: ['already a member'] }] });
      }
      await assertUserQuota(manager, tenant);
      if (!user) {
        user = await manager.save(manager.create(User, { email: dto.email, name: dto.name ?? '', passwordHash: passwordHash!, platformRole: null }));
        await this.audit.record(manager, { action: 'user.create', targetType: 'user', targetId: user.id, tenantId, changes: { email: user.email, name: user.name } });
      }
      const membership = await manager.save(manager.create(TenantMembership, { tenantId, userId: user.id, role: dto.role }));
      await this.audit.record(manager, { action: 'membership.create', targetType: 'membership', targetId: user.id, tenantId, changes: { email: user.email, role: dto.role } });
      return { userId: user.id, email: user.email, name: user.name, role: membership.role, createdAt: membership.createdAt };
    });
    this.changes.membershipChanged(member.userId, tenantId);
    return member;
  }

  async changeRole(userId: string, role: string): Promise<MemberDto> {
    const tenantId = this.tenantId();
    const member = await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembership(manager, tenantId, userId);
      await this.roles.assertAssignable(manager, tenantId, role);
      if (membership.role === 'tenant_admin' && role !== 'tenant_admin') await this.assertAnotherAdmin(manager, tenantId, userId);
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

  /** Removes the user from this tenant (their account and other tenants stay); never the last tenant admin. */
  async remove(userId: string): Promise<void> {
    const tenantId = this.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembership(manager, tenantId, userId);
      if (membership.role === 'tenant_admin') await this.assertAnotherAdmin(manager, tenantId, userId);
    });
    await this.tenants.removeMember(tenantId, userId);
  }

  private async lockMembership(manager: EntityManager, tenantId: string, userId: string): Promise<TenantMembership> {
    // The tenant row lock serializes admin changes, so two admins cannot demote each other at once.
    await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
    const membership = await manager.findOne(TenantMembership, { where: { tenantId, userId } });
    if (!membership) throw new NotFoundException(`User ${userId} is not a user of this tenant`);
    return membership;
  }

  private async assertAnotherAdmin(manager: EntityManager, tenantId: string, userId: string): Promise<void> {
    const admins: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM tenant_memberships WHERE tenant_id = $1 AND role = 'tenant_admin' AND user_id <> $2`,
      [tenantId, userId],
    );
    if (admins[0].count === 0) throw new ConflictException('This is the tenant’s last tenant admin; make someone else tenant admin first');
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}

function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: `${field} ${problem}`, details: [{ field, problems: [problem] }] });
}
