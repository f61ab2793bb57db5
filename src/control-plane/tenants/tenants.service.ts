import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { tenantPermissionCatalog } from '../../platform/access/tenant-permissions';
import { ProvisioningStep } from '../provisioning/entities/provisioning-step.entity';
import { ProvisioningQueue } from '../provisioning/provisioning-queue';
import { TenantRolesService } from '../tenant-roles/tenant-roles.service';
import { InvitationsService } from '../invitations/invitations.service';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { assertAnotherTenantAdmin } from './tenant-admins';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { TenantPoolsService } from '../tenant-pools/tenant-pools.service';
import { AccessChanges } from '../access-changes';
import { recordSessionRevocation } from '../sessions/session-revocations';
import { IdempotencyClaim, IdempotencyService } from '../../platform/idempotency/idempotency.service';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, Page, toPage } from '../../platform/pagination/cursor-pagination';
import { AuditService } from '../audit/audit.service';
import { User } from '../users/entities/user.entity';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { ListTenantsQueryDto } from './dto/list-tenants-query.dto';
import { MemberDto } from './dto/member.dto';
import { TenantDetailDto, TenantDto, TenantUpdatedDto } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantMembership } from './entities/tenant-membership.entity';
import { TenantPool } from '../tenant-pools/entities/tenant-pool.entity';
import { TenantDataSource } from '../data-sources/entities/tenant-data-source.entity';
import { Plan } from '../plans/entities/plan.entity';
import { assertUserQuota } from '../plans/plan-quotas';
import { assertEnableable, missingSettings } from '../../platform/tenant-modules/module-catalog';
import { Tenant, TenantStatus } from './entities/tenant.entity';
import { assertMayEdit, TenantEditRights } from './tenant-edit-rights';

/** Limits a listing to the tenants a super admin administers; undefined means every tenant. */
export type TenantScope = string[] | undefined;

/**
 * A caller's own rule about a change of someone's membership (e.g. least privilege on /api), run
 * in the changing transaction with the tenant locked, given the member's current role.
 */
export type MembershipChangeRule = (manager: EntityManager, currentRole: string) => Promise<void>;

const allowed: MembershipChangeRule = async () => undefined;

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
    private readonly changes: AccessChanges,
    private readonly invitations: InvitationsService,
    private readonly mail: MailOutbox,
    private readonly provisioning: ProvisioningQueue,
    private readonly roles: TenantRolesService,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Registers a tenant in status `provisioning` and enqueues its provisioning job in the same
   * transaction; the worker places its data and activates it. A requested pool or server is checked
   * here, so a wrong one is refused at once. The admin is invited (the mail goes out with the same
   * commit), unless a self-service registrant whose e-mail was just verified is named: that user
   * becomes admin in the provisioning's `admin` step.
   */
  async create(dto: CreateTenantDto, idempotencyClaim?: IdempotencyClaim): Promise<TenantDetailDto> {
    const tenant = await this.dataSource.transaction(async (manager) => {
      const detail = await this.detailOf(manager, await this.createWithin(manager, dto));
      // The answer a retry with the same Idempotency-Key gets commits with the tenant: never a second tenant.
      if (idempotencyClaim) await this.idempotency.completeWithin(manager, idempotencyClaim, detail);
      return detail;
    });
    this.provisioning.wake();
    this.mail.wake();
    return tenant;
  }

  /** create() inside the caller's transaction; the caller wakes the provisioning queue and the mail outbox after committing. */
  async createWithin(manager: EntityManager, dto: CreateTenantDto, verifiedAdminUserId?: string): Promise<string> {
    if (dto.placement !== 'pooled' && dto.tenantPoolId) throw fieldError('tenantPoolId', 'only a pooled tenant can name a pool');
    if (dto.placement !== 'dedicated' && dto.databaseServerId) throw fieldError('databaseServerId', 'only a dedicated tenant can name a server');
    const id = randomUUID();
    await this.assertSlugFree(manager, dto.slug);
    const pool = dto.tenantPoolId ? await this.pools.choose(manager, dto.tenantPoolId) : undefined;
    if (dto.databaseServerId) await this.servers.choose(dto.databaseServerId);
    const saved = await manager.save(
      manager.create(Tenant, {
        id,
        slug: dto.slug,
        name: dto.name,
        plan: dto.plan,
        placement: dto.placement,
        enabledModules: dto.enabledModules ?? [],
        status: 'provisioning',
        adminUserId: verifiedAdminUserId ?? null,
        tenantPoolId: pool?.id ?? null,
        databaseServerId: dto.databaseServerId ?? null,
        schemaVersion: pool?.schemaVersion ?? null,
      }),
    );
    await this.audit.record(manager, { action: 'tenant.create', targetType: 'tenant', targetId: id, tenantId: id, changes: { ...dto } });
    if (!verifiedAdminUserId) await this.invitations.inviteWithin(manager, { tenantId: id, email: dto.admin.email, role: 'tenant_admin' });
    await this.provisioning.enqueue(manager, { tenantId: id });
    return saved.id;
  }

  /** A failed tenant goes back to `provisioning` with a new job; steps already done are skipped. */
  async retry(id: string): Promise<TenantDetailDto> {
    await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      if (tenant.status !== 'failed') throw new ConflictException(`Tenant is ${tenant.status}; only a failed tenant can be retried`);
      await manager.update(Tenant, { id }, { status: 'provisioning', failureReason: null });
      await this.audit.record(manager, { action: 'tenant.retry', targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from: 'failed', to: 'provisioning' } } });
      await this.provisioning.enqueue(manager, { tenantId: id });
    });
    this.changes.tenantChanged(id);
    this.provisioning.wake();
    return this.get(id);
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

  /** The tenant with every provisioning step of every attempt, in order. */
  get(id: string): Promise<TenantDetailDto> {
    return this.detailOf(this.dataSource.manager, id);
  }

  private async detailOf(manager: EntityManager, id: string): Promise<TenantDetailDto> {
    const tenant = await this.findOrFail(manager, id);
    const steps = await manager.getRepository(ProvisioningStep).find({ where: { tenantId: id }, order: { attempt: 'ASC', startedAt: 'ASC' } });
    return TenantDetailDto.fromWithSteps(tenant, steps);
  }

  /** The tenant's row alone, without its provisioning steps. */
  find(id: string): Promise<Tenant> {
    return this.findOrFail(this.dataSource.manager, id);
  }

  async update(id: string, dto: UpdateTenantDto, rights: TenantEditRights): Promise<TenantUpdatedDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      await assertMayEdit(manager, tenant, dto, rights);
      for (const module of dto.enabledModules ?? []) {
        if (!tenant.enabledModules.includes(module)) assertEnableable(module, tenant.settings);
      }
      const changes: Record<string, unknown> = {};
      for (const key of ['name', 'plan', 'enabledModules'] as const) {
        const next = dto[key];
        if (next !== undefined && JSON.stringify(next) !== JSON.stringify(tenant[key])) {
          changes[key] = { from: tenant[key], to: next };
          Object.assign(tenant, { [key]: next });
        }
      }
      // A new plan brings its modules unless the caller chose the modules; those lacking settings wait for them.
      const awaiting = changes.plan && dto.enabledModules === undefined ? await this.enablePlanModules(manager, tenant, changes) : [];
      if (Object.keys(changes).length === 0) return { ...TenantDto.from(tenant), modulesAwaitingSettings: [] };
      const saved = await manager.save(tenant);
      await this.audit.record(manager, { action: 'tenant.update', targetType: 'tenant', targetId: id, tenantId: id, changes });
      return { ...TenantDto.from(saved), modulesAwaitingSettings: awaiting };
    });
    this.changes.tenantChanged(id);
    return updated;
  }

  /** Enables the modules of the tenant's (new) plan that have their settings; returns the ones still waiting for settings. */
  private async enablePlanModules(manager: EntityManager, tenant: Tenant, changes: Record<string, unknown>): Promise<string[]> {
    const plan = await manager.findOneOrFail(Plan, { where: { name: tenant.plan } });
    const missing = plan.modules.filter((module) => !tenant.enabledModules.includes(module));
    const enableable = missing.filter((module) => missingSettings(module, tenant.settings).length === 0);
    if (enableable.length > 0) {
      changes.enabledModules = { from: tenant.enabledModules, to: [...tenant.enabledModules, ...enableable] };
      tenant.enabledModules = [...tenant.enabledModules, ...enableable];
    }
    return missing.filter((module) => !enableable.includes(module));
  }

  suspend(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'active', to: 'suspended', action: 'tenant.suspend', verb: 'suspended' });
  }

  resume(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'suspended', to: 'active', action: 'tenant.resume', verb: 'resumed' });
  }

  /** Soft delete: users are refused at once, the data is kept until the retention period ends. */
  async remove(id: string): Promise<TenantDto> {
    const retentionDays = this.config.get('provisioning.retentionDays', { infer: true });
    const deleted = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      if (!['active', 'suspended', 'failed'].includes(tenant.status)) {
        throw new ConflictException(`Tenant is ${tenant.status}; only an active, suspended or failed tenant can be deleted`);
      }
      const deletedAt = new Date();
      const purgeAfter = new Date(deletedAt.getTime() + retentionDays * 86_400_000);
      await manager.update(Tenant, { id }, { status: 'deleted', deletedAt, purgeAfter });
      await recordSessionRevocation(manager, { tenantId: id });
      await this.audit.record(manager, { action: 'tenant.delete', targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from: tenant.status, to: 'deleted' }, purgeAfter } });
      return TenantDto.from({ ...tenant, status: 'deleted', deletedAt, purgeAfter });
    });
    this.changes.tenantChanged(id);
    return deleted;
  }

  /** Undoes a delete within the retention period; the tenant comes back suspended, to be resumed deliberately. */
  async restore(id: string): Promise<TenantDto> {
    const restored = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.findOrFail(manager, id, true);
      if (tenant.status !== 'deleted') throw new ConflictException(`Tenant is ${tenant.status}; only a deleted tenant can be restored`);
      await manager.update(Tenant, { id }, { status: 'suspended', deletedAt: null, purgeAfter: null });
      await this.audit.record(manager, { action: 'tenant.restore', targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from: 'deleted', to: 'suspended' } } });
      return TenantDto.from({ ...tenant, status: 'suspended', deletedAt: null, purgeAfter: null });
    });
    this.changes.tenantChanged(id);
    return restored;
  }

  /**
   * Destroys a deleted tenant's data once its retention period is over: its database and role
   * (dedicated) or its rows in the pooled database. The tenant row stays, `purged`, for the audit trail.
   */
  async purge(id: string): Promise<TenantDto> {
    const tenant = await this.findOrFail(this.dataSource.manager, id);
    if (tenant.status !== 'deleted') throw new ConflictException(`Tenant is ${tenant.status}; only a deleted tenant can be purged`);
    if (tenant.purgeAfter && tenant.purgeAfter.getTime() > Date.now()) {
      throw new ConflictException(`Tenant data is kept until ${tenant.purgeAfter.toISOString()} (TENANT_RETENTION_DAYS); it can be purged after that`);
    }
    const destroyed = await this.destroyData(tenant);
    const purged = await this.dataSource.transaction(async (manager) => {
      const locked = await this.findOrFail(manager, id, true);
      if (locked.status !== 'deleted') throw new ConflictException(`Tenant is ${locked.status}; only a deleted tenant can be purged`);
      await manager.update(Tenant, { id }, { status: 'purged', databaseName: null, databaseRole: null, databasePasswordEncrypted: null });
      await manager.delete(TenantMembership, { tenantId: id });
      await this.audit.record(manager, { action: 'tenant.purge', targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from: 'deleted', to: 'purged' }, ...destroyed } });
      return TenantDto.from({ ...locked, status: 'purged' });
    });
    this.changes.tenantChanged(id);
    return purged;
  }

  private async destroyData(tenant: Tenant): Promise<Record<string, unknown>> {
    if (tenant.placement === 'dedicated' && tenant.databaseServerId && tenant.databaseName) {
      await this.databases.drop(tenant.databaseServerId, tenant.databaseName, tenant.databaseRole!, { kind: 'tenant', ownerId: tenant.id });
      return { droppedDatabase: tenant.databaseName, droppedRole: tenant.databaseRole };
    }
    if (tenant.placement === 'byod') {
      // The customer keeps its data; what Tenantry holds is the credentials to reach it.
      const removed = await this.dataSource.getRepository(TenantDataSource).delete({ tenantId: tenant.id });
      return { removedDataSource: (removed.affected ?? 0) > 0 };
    }
    if (tenant.placement === 'pooled' && tenant.tenantPoolId) {
      const pool = await this.dataSource.getRepository(TenantPool).findOneByOrFail({ id: tenant.tenantPoolId });
      const owner = { kind: 'pool' as const, ownerId: pool.id };
      return { pool: pool.name, deletedRows: await this.databases.deletePooledTenantRows(pool.databaseServerId, pool.databaseName, owner, tenant.id) };
    }
    return {};
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

  /** Changes an existing member's role; nobody joins a tenant but through an invitation they accept. */
  async changeMemberRole(tenantId: string, userId: string, role: string, assertAllowed: MembershipChangeRule = allowed): Promise<MemberDto> {
    const member = await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockedMembership(manager, tenantId, userId);
      await this.roles.assertAssignable(manager, tenantId, role);
      await assertAllowed(manager, membership.role);
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

  /** Removes a member (their account and other tenants stay), never the tenant's last tenant admin. */
  async removeMember(tenantId: string, userId: string, assertAllowed: MembershipChangeRule = allowed): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockedMembership(manager, tenantId, userId);
      await assertAllowed(manager, membership.role);
      if (membership.role === 'tenant_admin') await assertAnotherTenantAdmin(manager, tenantId, userId);
      await manager.delete(TenantMembership, { tenantId, userId });
      await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL', [userId, tenantId]);
      await recordSessionRevocation(manager, { userId, tenantId });
      await this.audit.record(manager, { action: 'membership.delete', targetType: 'membership', targetId: userId, tenantId, changes: { role: membership.role } });
    });
    this.changes.membershipChanged(userId, tenantId);
  }

  /** The tenant row lock serializes changes of members, so two admins cannot demote or remove each other at once. */
  private async lockedMembership(manager: EntityManager, tenantId: string, userId: string): Promise<TenantMembership> {
    await this.findOrFail(manager, tenantId, true);
    const membership = await manager.findOne(TenantMembership, { where: { tenantId, userId } });
    if (!membership) throw new NotFoundException(`User ${userId} is not a member of this tenant`);
    return membership;
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

  /** The user's role in the tenant and what it permits, while both the membership and the account are active. */
  async activeAccessOf(userId: string, tenantId: string): Promise<{ role: string; permissions: readonly string[] } | null> {
    const rows: Array<{ role: string; permissions: string[] | null }> = await this.dataSource.query(
      `SELECT m.role, r.permissions FROM tenant_memberships m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN tenant_roles r ON r.tenant_id = m.tenant_id AND r.name = m.role
        WHERE m.user_id = $1 AND m.tenant_id = $2 AND u.status = 'active'`,
      [userId, tenantId],
    );
    if (rows.length === 0) return null;
    const { role, permissions } = rows[0];
    return { role, permissions: tenantPermissionCatalog().builtInRoles.get(role) ?? permissions ?? [] };
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
      if (to === 'suspended') await recordSessionRevocation(manager, { tenantId: id });
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

function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: `${field} ${problem}`, details: [{ field, problems: [problem] }] });
}
