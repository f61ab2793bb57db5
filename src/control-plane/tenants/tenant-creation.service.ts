import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyClaim, IdempotencyService } from '../../platform/idempotency/idempotency.service';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { assertKnownPlan } from '../plans/known-plan';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { InvitationsService } from '../invitations/invitations.service';
import { ProvisioningQueue } from '../provisioning/provisioning-queue';
import { TenantPoolsService } from '../tenant-pools/tenant-pools.service';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { TenantDetailDto } from './dto/tenant.dto';
import { Tenant } from '../schema/tenant.entity';
import { TenantLookup } from './tenant-lookup.service';
import { findTenantOrFail } from './tenant-rows';

/** Registers tenants and hands them to provisioning; a failed one is provisioned again on request. */
@Injectable()
export class TenantCreation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditService,
    private readonly pools: TenantPoolsService,
    private readonly servers: DatabaseServersService,
    private readonly invitations: InvitationsService,
    private readonly mail: MailOutbox,
    private readonly provisioning: ProvisioningQueue,
    private readonly idempotency: IdempotencyService,
    private readonly changes: AccessChanges,
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
      const detail = await this.lookup.detailWithin(manager, await this.createWithin(manager, dto));
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
    if (dto.placement !== 'dedicated' && dto.databaseServerId)
      throw fieldError('databaseServerId', 'only a dedicated tenant can name a server');
    const id = randomUUID();
    await assertKnownPlan(manager, dto.plan);
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
      const tenant = await findTenantOrFail(manager, id, true);
      if (tenant.status !== 'failed') throw new ConflictException(`Tenant is ${tenant.status}; only a failed tenant can be retried`);
      await manager.update(Tenant, { id }, { status: 'provisioning', failureReason: null });
      await this.audit.record(manager, {
        action: 'tenant.retry',
        targetType: 'tenant',
        targetId: id,
        tenantId: id,
        changes: { status: { from: 'failed', to: 'provisioning' } },
      });
      await this.provisioning.enqueue(manager, { tenantId: id });
    });
    this.changes.tenantChanged(id);
    this.provisioning.wake();
    return this.lookup.get(id);
  }

  private async assertSlugFree(manager: EntityManager, slug: string): Promise<void> {
    if (await manager.exists(Tenant, { where: { slug } })) {
      throw new ConflictException({
        message: `Tenant slug "${slug}" is taken`,
        details: [{ field: 'slug', problems: ['already in use'] }],
      });
    }
  }
}

function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: `${field} ${problem}`, details: [{ field, problems: [problem] }] });
}
