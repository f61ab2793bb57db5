import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { RequestContext } from '../../platform/request-context/request-context';
import { AuditService } from '../audit/audit.service';
import { ProvisioningQueue } from '../provisioning/provisioning-queue';
import { TenantCreation } from '../tenants/tenant-creation.service';
import { CreateTenantRestoreDto, TenantRestoreDto, TenantRestoreRow, toRestoreDto } from './dto/tenant-restore.dto';
import { TenantArchiveQueue } from './tenant-archive-queue';

const RESTORE_COLUMNS = 'id, archive_id, target_tenant_id, mode, status, restored_rows, failure_reason, created_at, completed_at';

/**
 * Restores as platform admins ask for them: into a new tenant (registered and provisioned as any
 * other, then filled by the restore job) or over the archive's own tenant once its slug is given
 * as confirmation. The restore row, the new tenant and the jobs commit together.
 */
@Injectable()
export class TenantRestoresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly creation: TenantCreation,
    private readonly queue: TenantArchiveQueue,
    private readonly provisioning: ProvisioningQueue,
    private readonly mail: MailOutbox,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  async request(dto: CreateTenantRestoreDto): Promise<TenantRestoreDto> {
    const restore = await this.dataSource.transaction(async (manager) => {
      const [archive] = await manager.query<Array<{ id: string; tenant_id: string; status: string; slug: string }>>(
        `SELECT a.id, a.tenant_id, a.status, t.slug FROM tenant_archives a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = $1 FOR SHARE OF a`,
        [dto.archiveId],
      );
      if (!archive) throw new NotFoundException('Archive not found');
      if (archive.status !== 'completed')
        throw new ConflictException(`The archive is ${archive.status}; only a completed one can be restored`);
      const targetTenantId =
        dto.into === 'same' ? await this.confirmedSameTenant(manager, archive, dto.confirm) : await this.newTenant(manager, dto);
      const [row] = await manager.query<TenantRestoreRow[]>(
        `INSERT INTO tenant_restores (archive_id, target_tenant_id, mode, status, requested_by) VALUES ($1, $2, $3, 'pending', $4) RETURNING ${RESTORE_COLUMNS}`,
        [archive.id, targetTenantId, dto.into, this.context.actor?.userId ?? null],
      );
      await this.queue.enqueueRestore(manager, { restoreId: row.id });
      await this.audit.record(manager, {
        action: 'tenant.restore.request',
        targetType: 'tenant_restore',
        targetId: row.id,
        tenantId: targetTenantId,
        changes: { archiveId: archive.id, sourceTenantId: archive.tenant_id, into: dto.into },
      });
      return row;
    });
    this.provisioning.wake();
    this.mail.wake();
    this.queue.wake();
    return toRestoreDto(restore);
  }

  async get(targetTenantId: string, id: string): Promise<TenantRestoreDto> {
    const [row] = await this.dataSource.query<TenantRestoreRow[]>(
      `SELECT ${RESTORE_COLUMNS} FROM tenant_restores WHERE id = $1 AND target_tenant_id = $2`,
      [id, targetTenantId],
    );
    if (!row) throw new NotFoundException('Restore not found');
    return toRestoreDto(row);
  }

  private async confirmedSameTenant(
    manager: EntityManager,
    archive: { tenant_id: string; slug: string },
    confirm?: string,
  ): Promise<string> {
    if (confirm !== archive.slug) {
      throw new BadRequestException({
        message: 'Restoring over a tenant replaces all its data: confirm with the tenant’s slug',
        details: [{ field: 'confirm', problems: ['must be the slug of the archive’s tenant'] }],
      });
    }
    // Locked as a move's start locks it: a restore over the tenant and a move of it never both start.
    const [tenant] = await manager.query<Array<{ status: string; placement: string }>>(
      'SELECT status, placement FROM tenants WHERE id = $1 FOR UPDATE',
      [archive.tenant_id],
    );
    if (tenant.status !== 'active' && tenant.status !== 'suspended')
      throw new ConflictException(`The tenant is ${tenant.status}; it cannot be restored over`);
    if (tenant.placement === 'byod')
      throw new ConflictException('A byod tenant’s data lives in its own system: it cannot be restored over');
    const [busy] = await manager.query<Array<{ what: string }>>(
      `SELECT 'a restore' AS what FROM tenant_restores WHERE target_tenant_id = $1 AND status = 'pending'
       UNION ALL SELECT 'a move' FROM tenant_moves WHERE tenant_id = $1 AND status IN ('running', 'failed', 'abandoning')
       LIMIT 1`,
      [archive.tenant_id],
    );
    if (busy) throw new ConflictException(`The tenant has ${busy.what} in progress; restore over it once that is finished`);
    return archive.tenant_id;
  }

  private async newTenant(manager: EntityManager, dto: CreateTenantRestoreDto): Promise<string> {
    if (!dto.tenant) throw fieldError('tenant', 'is required to restore into a new tenant');
    if (dto.tenant.placement === 'byod')
      throw fieldError('tenant.placement', 'must be pooled or dedicated: a restore fills a database of ours');
    return this.creation.createWithin(manager, dto.tenant);
  }
}

function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: `${field} ${problem}`, details: [{ field, problems: [problem] }] });
}
