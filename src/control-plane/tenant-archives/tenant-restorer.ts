import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { OpenedArchive, restoreTenantRows, sha256Of } from '../../../libs/archives';
import { AttemptSupersededError, FencedAttempt, FenceTarget } from '../../../libs/queue/fenced-attempt';
import { AuditService } from '../audit/audit.service';
import { ArchiveStorage } from './archive-storage';
import { TenantDataSessions } from './tenant-data-sessions';

export const RESTORE_FENCE: FenceTarget = { table: 'tenant_restores', tokenColumn: 'attempt_token', ownedWhile: "status = 'pending'" };

const PROVISIONING_POLL_MS = 200;

interface PendingRestore {
  id: string;
  archive_id: string;
  target_tenant_id: string;
  mode: 'new' | 'same';
  requested_by: string | null;
  file_name: string;
  sha256: string;
}

/** A restore cannot go on; recorded on the restore as its failure. */
class RestoreRefusedError extends Error {}

/**
 * Restores one archive into its target tenant (the restore job). A new tenant is first waited for
 * until its provisioning ends. The tenant's data is replaced in one transaction
 * (libs/archives/archive-restore.ts), so running it again after a crash gives the same data. The
 * result is recorded only while the attempt owns the restore row (fenced).
 */
@Injectable()
export class TenantRestorer {
  private readonly logger = new Logger(TenantRestorer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: TenantDataSessions,
    private readonly storage: ArchiveStorage,
    private readonly audit: AuditService,
  ) {}

  async run(restoreId: string, signal: AbortSignal): Promise<void> {
    const attempt = await FencedAttempt.claim(this.dataSource, RESTORE_FENCE, restoreId, signal);
    if (!attempt) return;
    const [restore] = await this.dataSource.query<PendingRestore[]>(
      `SELECT r.id, r.archive_id, r.target_tenant_id, r.mode, r.requested_by, a.file_name, a.sha256
         FROM tenant_restores r JOIN tenant_archives a ON a.id = r.archive_id WHERE r.id = $1`,
      [restoreId],
    );
    try {
      await this.untilActive(restore.target_tenant_id, signal);
      const file = this.storage.pathOf(restore.file_name);
      if ((await sha256Of(file)) !== restore.sha256)
        throw new RestoreRefusedError('The archive file does not match the checksum recorded when it was written');
      const archive = await OpenedArchive.open(file, await this.storage.workDirectory());
      try {
        const rows = await this.sessions.transaction(restore.target_tenant_id, (runner) => restoreTenantRows(runner, archive, signal));
        await attempt.transaction(async (manager) => {
          await manager.query(`UPDATE tenant_restores SET status = 'completed', restored_rows = $2, completed_at = now() WHERE id = $1`, [
            restore.id,
            JSON.stringify(rows),
          ]);
          await this.audit.record(manager, {
            action: 'tenant.restore.complete',
            targetType: 'tenant_restore',
            targetId: restore.id,
            tenantId: restore.target_tenant_id,
            actorUserId: restore.requested_by,
            changes: { archiveId: restore.archive_id, mode: restore.mode, schemaVersion: archive.manifest.schemaVersion, rows },
          });
        });
      } finally {
        await archive.close();
      }
    } catch (error) {
      if (error instanceof AttemptSupersededError || signal.aborted) throw error;
      this.logger.warn(`Restore ${restore.id} into tenant ${restore.target_tenant_id} failed: ${(error as Error).message}`);
      await attempt.transaction(
        (manager) =>
          manager.query(`UPDATE tenant_restores SET status = 'failed', failure_reason = $2, completed_at = now() WHERE id = $1`, [
            restore.id,
            (error as Error).message.slice(0, 500),
          ]),
        { cancellable: false },
      );
    }
  }

  /** Its job failed for good (every attempt timed out or crashed): the restore is marked failed, and no attempt still running may complete it. */
  async markFailed(restoreId: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      FencedAttempt.end(manager, RESTORE_FENCE, restoreId, {
        status: 'failed',
        failure_reason: 'The restore job failed on every attempt (timed out or interrupted)',
        completed_at: new Date(),
      }),
    );
  }

  /** A tenant created for the restore is provisioned by its own job; the restore starts once it is active. */
  private async untilActive(tenantId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const [tenant] = await this.dataSource.query<Array<{ status: string }>>('SELECT status FROM tenants WHERE id = $1', [tenantId]);
      if (tenant?.status === 'active') return;
      if (tenant?.status !== 'provisioning') throw new RestoreRefusedError(`The target tenant is ${tenant?.status ?? 'gone'}`);
      await sleep(PROVISIONING_POLL_MS, undefined, { signal });
    }
  }
}
