import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../../platform/request-context/request-context';
import { cursorFields, decodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { CursorPaginationQueryDto, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { AuditService } from '../audit/audit.service';
import { ArchiveStorage } from './archive-storage';
import { TenantArchiveDto, TenantArchiveRow, toArchiveDto } from './dto/tenant-archive.dto';
import { TenantArchiveQueue } from './tenant-archive-queue';

const ARCHIVE_COLUMNS =
  'id, tenant_id, kind, status, size_bytes, sha256, schema_version, tables, failure_reason, created_at, completed_at, file_name';

export interface ArchiveDownload {
  stream: Readable;
  fileName: string;
  sizeBytes: number;
}

/**
 * Archives of tenants as platform admins and (where the plan allows) tenant admins ask for, list
 * and download them. An export is a row and its job, committed together; the job writes the file.
 * Only pooled and dedicated tenants are exported: a byod tenant's data lives in its own system,
 * which holds the originals, so its export is refused rather than a partial copy made.
 */
@Injectable()
export class TenantArchivesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: TenantArchiveQueue,
    private readonly storage: ArchiveStorage,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  async requestExport(tenantId: string): Promise<TenantArchiveDto> {
    const archive = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.exportableTenant(manager, tenantId);
      const [row] = await manager.query<TenantArchiveRow[]>(
        `INSERT INTO tenant_archives (tenant_id, kind, status, requested_by) VALUES ($1, 'export', 'pending', $2) RETURNING ${ARCHIVE_COLUMNS}`,
        [tenant.id, this.context.actor?.userId ?? null],
      );
      await this.queue.enqueueExport(manager, { archiveId: row.id });
      await this.audit.record(manager, { action: 'tenant.export.request', targetType: 'tenant_archive', targetId: row.id, tenantId });
      return row;
    });
    this.queue.wake();
    return toArchiveDto(archive);
  }

  /** The tenant's archives of one kind, newest first, a page at a time. */
  async list(tenantId: string, kind: 'export' | 'backup', query: CursorPaginationQueryDto): Promise<Page<TenantArchiveDto>> {
    await this.assertTenantExists(tenantId);
    const [createdAt, id] = query.cursor ? decodeCursor(query.cursor, [cursorFields.timestamp, cursorFields.uuid]) : [null, null];
    const rows = await this.dataSource.query<TenantArchiveRow[]>(
      `SELECT ${ARCHIVE_COLUMNS} FROM tenant_archives
        WHERE tenant_id = $1 AND kind = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [tenantId, kind, createdAt, id, query.limit + 1],
    );
    return toSortedPage(rows, query.limit, (row) => row.created_at, toArchiveDto);
  }

  /** An archive of that tenant (404 for another tenant's, exactly as for none). */
  async get(tenantId: string, archiveId: string, kinds: Array<'export' | 'backup'> = ['export', 'backup']): Promise<TenantArchiveDto> {
    return toArchiveDto(await this.findRow(tenantId, archiveId, kinds));
  }

  async download(tenantId: string, archiveId: string, kinds: Array<'export' | 'backup'> = ['export', 'backup']): Promise<ArchiveDownload> {
    const row = await this.findRow(tenantId, archiveId, kinds);
    if (row.status !== 'completed' || !row.file_name)
      throw new ConflictException(`The archive is ${row.status}; only a completed one can be downloaded`);
    if (!(await this.storage.exists(row.file_name))) throw new ConflictException('The archive’s file is no longer in storage');
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, { action: 'tenant.archive.download', targetType: 'tenant_archive', targetId: row.id, tenantId }),
    );
    return {
      stream: await this.storage.read(row.file_name),
      fileName: `tenant-${tenantId}-${row.kind}-${row.id}.tar.gz`,
      sizeBytes: Number(row.size_bytes),
    };
  }

  /** Refuses a tenant admin whose plan does not let tenants export their data. */
  async assertTenantExportsAllowed(tenantId: string): Promise<void> {
    const [plan] = await this.dataSource.query<Array<{ allowed: boolean }>>(
      'SELECT p.tenant_export_allowed AS allowed FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = $1',
      [tenantId],
    );
    if (!plan?.allowed) throw new ForbiddenException('The tenant’s plan does not allow exporting its data');
  }

  private async findRow(tenantId: string, archiveId: string, kinds: Array<'export' | 'backup'>): Promise<TenantArchiveRow> {
    const [row] = await this.dataSource.query<TenantArchiveRow[]>(
      `SELECT ${ARCHIVE_COLUMNS} FROM tenant_archives WHERE id = $1 AND tenant_id = $2 AND kind = ANY($3::text[])`,
      [archiveId, tenantId, kinds],
    );
    if (!row) throw new NotFoundException('Archive not found');
    return row;
  }

  private async exportableTenant(manager: EntityManager, tenantId: string): Promise<{ id: string }> {
    const [tenant] = await manager.query<Array<{ id: string; status: string; placement: string }>>(
      'SELECT id, status, placement FROM tenants WHERE id = $1 FOR SHARE',
      [tenantId],
    );
    if (!tenant || tenant.status === 'purged') throw new NotFoundException('Tenant not found');
    if (tenant.placement === 'byod') {
      throw new ConflictException(
        'A byod tenant’s data lives in its own database or API, which keeps the originals: export it there (Tenantry exports pooled and dedicated tenants)',
      );
    }
    if (!['active', 'suspended'].includes(tenant.status))
      throw new ConflictException(`Tenant is ${tenant.status}; its data cannot be exported`);
    return tenant;
  }

  private async assertTenantExists(tenantId: string): Promise<void> {
    const [tenant] = await this.dataSource.query<Array<{ id: string }>>('SELECT id FROM tenants WHERE id = $1', [tenantId]);
    if (!tenant) throw new NotFoundException('Tenant not found');
  }
}
