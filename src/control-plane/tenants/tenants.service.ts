import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { SecretCipher } from '../../../libs/secrets';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { TenantPoolsService } from '../tenant-pools/tenant-pools.service';
import { AccessChanges } from '../access-changes';
import { escapeLike } from '../../common/database/escape-like';
import { applyKeyset, Page, toPage } from '../../common/pagination/cursor-pagination';
import { AuditService } from '../audit/audit.service';
import { User } from '../users/entities/user.entity';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { ListTenantsQueryDto } from './dto/list-tenants-query.dto';
import { AddMemberDto, MemberDto } from './dto/member.dto';
import { TenantDto } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantMembership } from './entities/tenant-membership.entity';
import { Tenant, TenantStatus } from './entities/tenant.entity';

/** Limits a listing to the tenants a super admin administers; undefined means every tenant. */
export type TenantScope = string[] | undefined;

export interface Membership {
  tenant: Tenant;
  role: string;
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly pools: TenantPoolsService,
    private readonly servers: DatabaseServersService,
    private readonly databases: TenantDatabaseFactory,
    private readonly cipher: SecretCipher,
    private readonly changes: AccessChanges,
  ) {}

  /**
   * Registers a tenant and places its data: a pooled tenant joins the pool with most room; a
   * dedicated tenant gets a database and role of its own first. A failure leaves nothing behind.
   */
  async create(dto: CreateTenantDto): Promise<TenantDto> {
    await this.assertSlugFree(this.dataSource.manager, dto.slug);
    const id = randomUUID();
    const dedicated = dto.placement === 'dedicated' ? await this.createDedicatedDatabase(id, dto.databaseServerId) : undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.assertSlugFree(manager, dto.slug);
        const pool = dto.placement === 'pooled' ? await this.pools.choose(manager, dto.tenantPoolId) : undefined;
        const tenant = await manager.save(
          manager.create(Tenant, {
            id,
            slug: dto.slug,
            name: dto.name,
            plan: dto.plan,
            placement: dto.placement,
            enabledModules: dto.enabledModules ?? [],
            status: 'active',
            tenantPoolId: pool?.id ?? null,
            databaseServerId: dedicated?.serverId ?? null,
            databaseName: dedicated?.databaseName ?? null,
            databaseRole: dedicated?.appRole ?? null,
            databasePasswordEncrypted: dedicated ? this.cipher.encrypt(dedicated.appPassword, tenantSecretScope(id)) : null,
            schemaVersion: pool?.schemaVersion ?? dedicated?.schemaVersion ?? null,
          }),
        );
        await this.audit.record(manager, {
          action: 'tenant.create',
          targetType: 'tenant',
          targetId: id,
          tenantId: id,
          changes: { ...dto, tenantPoolId: pool?.id, databaseServerId: dedicated?.serverId, databaseName: dedicated?.databaseName },
        });
        return TenantDto.from(tenant);
      });
    } catch (error) {
      if (dedicated) await this.databases.drop(dedicated.serverId, dedicated.databaseName, dedicated.appRole).catch(() => undefined);
      throw error;
    }
  }

  private async createDedicatedDatabase(tenantId: string, requestedServerId?: string) {
    const serverId = await this.servers.choose(requestedServerId);
    const name = `tenant_${tenantId.replaceAll('-', '')}`;
    return { serverId, ...(await this.databases.create(serverId, name, `${name}_app`)) };
  }

  private async assertSlugFree(manager: EntityManager, slug: string): Promise<void> {
    if (await manager.exists(Tenant, { where: { slug } })) {
      throw new ConflictException({ message: `Tenant slug "${slug}" is taken`, details: [{ field: 'slug', problems: ['already in use'] }] });
    }
  }

  async list(query: ListTenantsQueryDto, scope: TenantScope): Promise<Page<TenantDto>> {
    if (scope?.length === 0) return { items: [], nextCursor: null };
    const builder = this.dataSource.getRepository(Tenant).createQueryBuilder('tenant');
    if (scope) builder.andWhere('tenant.id IN (:...scope)', { scope });
    if (query.status) builder.andWhere('tenant.status = :status', { status: query.status });
    if (query.placement) builder.andWhere('tenant.placement = :placement', { placement: query.placement });
    if (query.search) {
      builder.andWhere("(tenant.slug ILIKE :pattern ESCAPE '\\' OR tenant.name ILIKE :pattern ESCAPE '\\')", {
        pattern: `%${escapeLike(query.search)}%`,
      });
    }
    const rows = await applyKeyset(builder, query).getMany();
    return toPage(rows, query.limit, TenantDto.from);
  }

  async get(id: string): Promise<TenantDto> {
    return TenantDto.from(await this.findOrFail(this.dataSource.manager, id));
  }

  async update(id: string, dto: UpdateTenantDto): Promise<TenantDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      const changes: Record<string, unknown> = {};
      for (const key of ['name', 'plan', 'enabledModules'] as const) {
        const next = dto[key];
        if (next !== undefined && JSON.stringify(next) !== JSON.stringify(tenant[key])) {
          changes[key] = { from: tenant[key], to: next };
          Object.assign(tenant, { [key]: next });
        }
      }
      if (Object.keys(changes).length === 0) return TenantDto.from(tenant);
      const saved = await manager.save(tenant);
      await this.audit.record(manager, { action: 'tenant.update', targetType: 'tenant', targetId: id, tenantId: id, changes });
      return TenantDto.from(saved);
    });
    this.changes.tenantChanged(id);
    return updated;
  }

  suspend(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'active', to: 'suspended', action: 'tenant.suspend', verb: 'suspended' });
  }

  resume(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'suspended', to: 'active', action: 'tenant.resume', verb: 'resumed' });
  }

  async listMembers(tenantId: string): Promise<MemberDto[]> {
    await this.findOrFail(this.dataSource.manager, tenantId);
    const rows: Array<{ userId: string; email: string; name: string; role: string; createdAt: Date }> = await this.dataSource
      .getRepository(TenantMembership)
      .createQueryBuilder('membership')
      .innerJoin(User, 'user', 'user.id = membership.userId')
      .select(['membership.userId AS "userId"', 'user.email AS email', 'user.name AS name', 'membership.role AS role', 'membership.createdAt AS "createdAt"'])
      .where('membership.tenantId = :tenantId', { tenantId })
      .orderBy('membership.createdAt', 'ASC')
      .getRawMany();
    return rows;
  }

  async addMember(tenantId: string, dto: AddMemberDto): Promise<MemberDto> {
    const member = await this.dataSource.transaction(async (manager) => {
      await this.findOrFail(manager, tenantId, true);
      const user = await manager.findOne(User, { where: { email: dto.email } });
      if (!user) throw new NotFoundException({ message: `No user with email ${dto.email}`, details: [{ field: 'email', problems: ['unknown user'] }] });
      const existing = await manager.findOne(TenantMembership, { where: { tenantId, userId: user.id } });
      const membership = await manager.save(manager.create(TenantMembership, { tenantId, userId: user.id, role: dto.role, createdAt: existing?.createdAt }));
      await this.audit.record(manager, {
        action: existing ? 'membership.update' : 'membership.create',
        targetType: 'membership',
        targetId: user.id,
        tenantId,
        changes: { email: user.email, role: existing ? { from: existing.role, to: dto.role } : dto.role },
      });
      return { userId: user.id, email: user.email, name: user.name, role: membership.role, createdAt: membership.createdAt };
    });
    this.changes.membershipChanged(member.userId, tenantId);
    return member;
  }

  async removeMember(tenantId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const membership = await manager.findOne(TenantMembership, { where: { tenantId, userId }, lock: { mode: 'pessimistic_write' } });
      if (!membership) throw new NotFoundException(`User ${userId} is not a member of tenant ${tenantId}`);
      await manager.delete(TenantMembership, { tenantId, userId });
      await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL', [userId, tenantId]);
      await this.audit.record(manager, { action: 'membership.delete', targetType: 'membership', targetId: userId, tenantId, changes: { role: membership.role } });
    });
    this.changes.membershipChanged(userId, tenantId);
  }

  /** Finds a tenant by slug or id, as a user types it at login. */
  async findByReference(reference: string): Promise<Tenant | null> {
    const where = isUUID(reference) ? { id: reference } : { slug: reference.trim().toLowerCase() };
    return this.dataSource.getRepository(Tenant).findOne({ where });
  }

  async membership(userId: string, tenantId: string): Promise<Membership | null> {
    const row = await this.dataSource.getRepository(TenantMembership).findOne({ where: { userId, tenantId } });
    if (!row) return null;
    const tenant = await this.dataSource.getRepository(Tenant).findOneOrFail({ where: { id: tenantId } });
    return { tenant, role: row.role };
  }

  /** The user's role in the tenant while both the membership and the account are active. */
  async activeRoleOf(userId: string, tenantId: string): Promise<string | null> {
    const rows: Array<{ role: string }> = await this.dataSource.query(
      `SELECT m.role FROM tenant_memberships m JOIN users u ON u.id = m.user_id
        WHERE m.user_id = $1 AND m.tenant_id = $2 AND u.status = 'active'`,
      [userId, tenantId],
    );
    return rows[0]?.role ?? null;
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.dataSource.getRepository(TenantMembership).find({ where: { userId }, order: { createdAt: 'ASC' } });
    if (rows.length === 0) return [];
    const tenants = await this.dataSource.getRepository(Tenant).findBy(rows.map((row) => ({ id: row.tenantId })));
    const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
    return rows.map((row) => ({ tenant: byId.get(row.tenantId)!, role: row.role }));
  }

  private async transition(
    id: string,
    { from, to, action, verb }: { from: TenantStatus; to: TenantStatus; action: string; verb: string },
  ): Promise<TenantDto> {
    const transitioned = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      if (tenant.status !== from) {
        throw new ConflictException(`Tenant is ${tenant.status}; only a ${from} tenant can be ${verb}`);
      }
      tenant.status = to;
      const saved = await manager.save(tenant);
      await this.audit.record(manager, { action, targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from, to } } });
      return TenantDto.from(saved);
    });
    this.changes.tenantChanged(id);
    return transitioned;
  }

  private async findOrFail(manager: EntityManager, id: string, forUpdate = false): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id }, lock: forUpdate ? { mode: 'pessimistic_write' } : undefined });
    if (!tenant) throw new NotFoundException(`Tenant ${id} not found`);
    return tenant;
  }
}

/** Binds each dedicated tenant's encrypted database password to its tenant row. */
export function tenantSecretScope(tenantId: string): string {
  return `tenant:${tenantId}`;
}
