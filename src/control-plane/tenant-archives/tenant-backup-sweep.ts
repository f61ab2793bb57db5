import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantArchiveQueue } from './tenant-archive-queue';
import { TenantBackupPruning } from './tenant-backup-pruning';

/**
 * The scheduled backup sweep (BACKUP_SCHEDULE): every active tenant of a plan with daily backups
 * that has had none for a day gets a backup archive and its export job, in one transaction; then
 * each tenant's backups beyond its plan's `backupsKept` are pruned. Running it twice does nothing
 * more (the sweeps are serialised, and a tenant with a fresh backup is skipped).
 */
@Injectable()
export class TenantBackupSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: TenantArchiveQueue,
    private readonly pruning: TenantBackupPruning,
  ) {}

  async run(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('tenant-backup-sweep'))");
      // 23 hours, not 24: a sweep a little earlier in the day than yesterday's still finds the tenant due.
      const due = await manager.query<Array<{ id: string }>>(`
        INSERT INTO tenant_archives (tenant_id, kind, status)
        SELECT t.id, 'backup', 'pending' FROM tenants t JOIN plans p ON p.name = t.plan
         WHERE p.backup_schedule = 'daily' AND t.status = 'active' AND t.placement IN ('pooled', 'dedicated')
           AND NOT EXISTS (SELECT 1 FROM tenant_archives a WHERE a.tenant_id = t.id AND a.kind = 'backup'
                             AND a.status IN ('pending', 'completed') AND a.created_at > now() - interval '23 hours')
        RETURNING id`);
      for (const archive of due) await this.queue.enqueueExport(manager, { archiveId: archive.id });
    });
    this.queue.wake();
    const tenants = await this.dataSource.query<Array<{ tenant_id: string }>>(
      "SELECT DISTINCT tenant_id FROM tenant_archives WHERE kind = 'backup' AND status <> 'pending'",
    );
    for (const { tenant_id: tenantId } of tenants) await this.pruning.prune(tenantId);
  }
}
