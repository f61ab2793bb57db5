import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, Page, toPage } from '../../platform/pagination/cursor-pagination';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { recordSessionRevocation } from '../sessions/session-revocations';
import { Tenant } from '../schema/tenant.entity';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { SetPlatformRoleDto } from './dto/set-platform-role.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDetailDto, UserDto } from './dto/user.dto';
import { SuperAdminTenant } from '../schema/super-admin-tenant.entity';
import { PlatformRole, User, UserStatus } from '../schema/user.entity';
import { PasswordHasher } from './password-hasher';
import { UserAccounts } from './user-accounts.service';
import { SessionsService } from '../sessions/sessions.service';

export interface UserAccessProfile {
  status: UserStatus;
  platformRole: PlatformRole | null;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly accounts: UserAccounts,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  /** Creates an account with a password its holder chose (the operator's own bootstrap admin); people otherwise join by invitation. */
  async create(dto: CreateUserDto, platformRole: PlatformRole | null = null): Promise<UserDto> {
    const passwordHash = await this.hasher.hash(dto.password);
    return this.dataSource.transaction(async (manager) => {
      if (await this.accounts.emailTakenWithin(manager, dto.email)) {
        throw new ConflictException({
          message: 'A user with this email already exists',
          details: [{ field: 'email', problems: ['already in use'] }],
        });
      }
      const name = dto.name ?? '';
      const changes = { email: dto.email, name, platformRole, password: dto.password };
      return UserDto.from(
        await this.accounts.openWithin(manager, { email: dto.email, name, passwordHash, platformRole }, { byHolder: false, changes }),
      );
    });
  }

  async list(query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const builder = this.dataSource.getRepository(User).createQueryBuilder('user');
    if (query.status) builder.andWhere('user.status = :status', { status: query.status });
    if (query.search) {
      builder.andWhere("(user.email ILIKE :pattern ESCAPE '\\' OR user.name ILIKE :pattern ESCAPE '\\')", {
        pattern: `%${escapeLike(query.search)}%`,
      });
    }
    const rows = await applyKeyset(builder, query).getMany();
    return toPage(rows, query.limit, UserDto.from);
  }

  async get(id: string): Promise<UserDetailDto> {
    const user = await this.findOrFail(this.dataSource.manager, id);
    const assignments = await this.dataSource.getRepository(SuperAdminTenant).find({ where: { userId: id } });
    return {
      ...UserDto.from(user),
      superAdminTenantIds: assignments.map((a) => a.tenantId),
      planChangeTenantIds: assignments.filter((a) => a.mayChangePlan).map((a) => a.tenantId),
    };
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const user = await this.findOrFail(manager, id, true);
      const changes: Record<string, unknown> = {};
      if (dto.name !== undefined && dto.name !== user.name) changes.name = { from: user.name, to: (user.name = dto.name) };
      if (dto.status !== undefined && dto.status !== user.status) changes.status = { from: user.status, to: (user.status = dto.status) };
      if (Object.keys(changes).length === 0) return UserDto.from(user);
      const saved = await manager.save(user);
      if (dto.status === 'disabled') {
        // Disabling a user ends every session they have, access tokens included.
        await this.sessions.revokeRefreshTokensWithin(manager, { userId: id });
        await recordSessionRevocation(manager, { userId: id });
      }
      await this.audit.record(manager, { action: 'user.update', targetType: 'user', targetId: id, changes });
      return UserDto.from(saved);
    });
    this.changes.userChanged(id);
    return updated;
  }

  async setPlatformRole(id: string, dto: SetPlatformRoleDto): Promise<UserDetailDto> {
    const tenantIds = dto.role === 'super_admin' ? (dto.tenantIds ?? []) : [];
    const planChangeTenantIds = dto.planChangeTenantIds ?? [];
    if (planChangeTenantIds.some((tenantId) => !tenantIds.includes(tenantId))) {
      const problem = 'must be among the tenantIds of a super_admin';
      throw new BadRequestException({
        message: `planChangeTenantIds ${problem}`,
        details: [{ field: 'planChangeTenantIds', problems: [problem] }],
      });
    }
    await this.dataSource.transaction(async (manager) => {
      const user = await this.findOrFail(manager, id, true);
      if (tenantIds.length > 0) {
        const found = await manager.count(Tenant, { where: { id: In(tenantIds) } });
        if (found !== tenantIds.length) {
          throw new NotFoundException({
            message: 'One or more tenantIds do not exist',
            details: [{ field: 'tenantIds', problems: ['unknown tenant id'] }],
          });
        }
      }
      const before = { role: user.platformRole };
      await manager.update(User, { id }, { platformRole: dto.role });
      await manager.delete(SuperAdminTenant, { userId: id });
      if (tenantIds.length > 0) {
        await manager.insert(
          SuperAdminTenant,
          tenantIds.map((tenantId) => ({ userId: id, tenantId, mayChangePlan: planChangeTenantIds.includes(tenantId) })),
        );
      }
      // The roles in the user's access tokens are stale now: they sign in again.
      if (before.role !== dto.role) await recordSessionRevocation(manager, { userId: id });
      await this.audit.record(manager, {
        action: 'user.set_platform_role',
        targetType: 'user',
        targetId: id,
        changes: { role: { from: before.role, to: dto.role }, tenantIds, planChangeTenantIds },
      });
    });
    return this.get(id);
  }

  /** Looks a user up for login; includes the password hash. */
  findForLogin(email: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  /** The current status and platform role, read fresh so a revoked admin loses access at once. */
  async accessProfile(userId: string): Promise<UserAccessProfile | null> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: userId }, select: { status: true, platformRole: true } });
    return user ? { status: user.status, platformRole: user.platformRole } : null;
  }

  async isSuperAdminOf(userId: string, tenantId: string): Promise<boolean> {
    return this.dataSource.getRepository(SuperAdminTenant).exists({ where: { userId, tenantId } });
  }

  /** Whether a platform admin allowed this super admin to change the tenant's plan; false without an assignment. */
  async mayChangePlan(userId: string, tenantId: string): Promise<boolean> {
    return this.dataSource.getRepository(SuperAdminTenant).exists({ where: { userId, tenantId, mayChangePlan: true } });
  }

  async superAdminTenantIds(userId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(SuperAdminTenant).find({ where: { userId } });
    return rows.map((row) => row.tenantId);
  }

  findActive(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { id, status: 'active' } });
  }

  async findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { email: email.trim().toLowerCase() } });
  }

  private async findOrFail(manager: EntityManager, id: string, forUpdate = false): Promise<User> {
    const user = await manager.findOne(User, { where: { id }, lock: forUpdate ? { mode: 'pessimistic_write' } : undefined });
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }
}
