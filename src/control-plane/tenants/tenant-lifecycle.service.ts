import { ConflictException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { PlatformEvents, PlatformEventType, tenantSummary } from '../domain-events/platform-events';
import { recordSessionRevocation } from '../sessions/session-revocations';
import { TenantDto } from './dto/tenant.dto';
import { Tenant, TenantStatus } from '../schema/tenant.entity';
import { findTenantOrFail } from './tenant-rows';

/** Suspends, resumes, deletes (softly) and restores tenants; each change ends the sessions it must. */
@Injectable()
export class TenantLifecycle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: PlatformEvents,
    private readonly changes: AccessChanges,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  suspend(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'active', to: 'suspended', action: 'tenant.suspend', verb: 'suspended', event: 'tenant.suspended' });
  }

  resume(id: string): Promise<TenantDto> {
    return this.transition(id, { from: 'suspended', to: 'active', action: 'tenant.resume', verb: 'resumed', event: 'tenant.resumed' });
  }

  /** Soft delete: users are refused at once, the data is kept until the retention period ends. */
  async remove(id: string): Promise<TenantDto> {
    const retentionDays = this.config.get('provisioning.retentionDays', { infer: true });
    const deleted = await this.dataSource.transaction(async (manager) => {
      const tenant = await findTenantOrFail(manager, id, true);
      if (!['active', 'suspended', 'failed'].includes(tenant.status)) {
        throw new ConflictException(`Tenant is ${tenant.status}; only an active, suspended or failed tenant can be deleted`);
      }
      const deletedAt = new Date();
      const purgeAfter = new Date(deletedAt.getTime() + retentionDays * 86_400_000);
      await manager.update(Tenant, { id }, { status: 'deleted', deletedAt, purgeAfter });
      await recordSessionRevocation(manager, { tenantId: id });
      await this.audit.record(manager, {
        action: 'tenant.delete',
        targetType: 'tenant',
        targetId: id,
        tenantId: id,
        changes: { status: { from: tenant.status, to: 'deleted' }, purgeAfter },
      });
      await this.events.raise(manager, 'tenant.deleted', null, {
        tenant: tenantSummary({ ...tenant, status: 'deleted' }),
        from: tenant.status,
        to: 'deleted',
        purgeAfter,
      });
      return TenantDto.from({ ...tenant, status: 'deleted', deletedAt, purgeAfter });
    });
    this.changes.tenantChanged(id);
    return deleted;
  }

  /** Undoes a delete within the retention period; the tenant comes back suspended, to be resumed deliberately. */
  async restore(id: string): Promise<TenantDto> {
    const restored = await this.dataSource.transaction(async (manager) => {
      const tenant = await findTenantOrFail(manager, id, true);
      if (tenant.status !== 'deleted') throw new ConflictException(`Tenant is ${tenant.status}; only a deleted tenant can be restored`);
      await manager.update(Tenant, { id }, { status: 'suspended', deletedAt: null, purgeAfter: null });
      await this.audit.record(manager, {
        action: 'tenant.restore',
        targetType: 'tenant',
        targetId: id,
        tenantId: id,
        changes: { status: { from: 'deleted', to: 'suspended' } },
      });
      await this.events.raise(manager, 'tenant.restored', null, {
        tenant: tenantSummary({ ...tenant, status: 'suspended' }),
        from: 'deleted',
        to: 'suspended',
      });
      return TenantDto.from({ ...tenant, status: 'suspended', deletedAt: null, purgeAfter: null });
    });
    this.changes.tenantChanged(id);
    return restored;
  }

  private async transition(
    id: string,
    { from, to, action, verb, event }: { from: TenantStatus; to: TenantStatus; action: string; verb: string; event: PlatformEventType },
  ): Promise<TenantDto> {
    const transitioned = await this.dataSource.transaction(async (manager) => {
      const tenant = await findTenantOrFail(manager, id, true);
      if (tenant.status !== from) {
        throw new ConflictException(`Tenant is ${tenant.status}; only a ${from} tenant can be ${verb}`);
      }
      tenant.status = to;
      const saved = await manager.save(tenant);
      if (to === 'suspended') await recordSessionRevocation(manager, { tenantId: id });
      await this.audit.record(manager, { action, targetType: 'tenant', targetId: id, tenantId: id, changes: { status: { from, to } } });
      await this.events.raise(manager, event, null, { tenant: tenantSummary(saved), from, to });
      return TenantDto.from(saved);
    });
    this.changes.tenantChanged(id);
    return transitioned;
  }
}
