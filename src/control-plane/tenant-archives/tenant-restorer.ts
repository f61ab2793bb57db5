import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { OpenedArchive, restoreTenantRows, sha256Of } from '../../../libs/archives';
import { AttemptSupersededError, FencedAttempt, FenceTarget } from '../../../libs/queue/fenced-attempt';
import { classifyDatabaseFailure } from '../../../libs/tenancy/connection-errors';
import { untilOlderTransactionsEnd } from '../../../libs/tenancy/older-transactions';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { ArchiveStorage } from './archive-storage';
import { TenantDataSessions } from './tenant-data-sessions';
import { freezeTenantWrites, liftTenantWriteFreeze } from '../tenant-binding/tenant-write-freeze';

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
    private readonly changes: AccessChanges,
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
      const file = await this.storage.localCopy(restore.file_name);
      let archive: OpenedArchive;
      try {
        if ((await sha256Of(file.path)) !== restore.sha256)
          throw new RestoreRefusedError('The archive file does not match the checksum recorded when it was written');
        archive = await OpenedArchive.open(file.path, await this.storage.workDirectory());
      } finally {
        await file.release();
      }
      try {
        if (restore.mode === 'same') await this.freezeWrites(attempt, restore.target_tenant_id);
        const restoreIn = restore.mode === 'same' ? this.sessions.transactionUnderOwnFreeze : this.sessions.transaction;
        const rows = await restoreIn(restore.target_tenant_id, async (runner) => {
          // Over the same tenant: a write admitted just before the freeze may still be committing; the restore replaces it too.
          if (restore.mode === 'same') await untilOlderTransactionsEnd((text, values) => runner.query(text, values), signal);
          return restoreTenantRows(runner, archive, signal);
        });
        await attempt.transaction(async (manager) => {
          await manager.query(`UPDATE tenant_restores SET status = 'completed', restored_rows = $2, completed_at = now() WHERE id = $1`, [
            restore.id,
            JSON.stringify(rows),
          ]);
          await liftTenantWriteFreeze(manager, restore.target_tenant_id);
          await this.audit.record(manager, {
            action: 'tenant.restore.complete',
            targetType: 'tenant_restore',
            targetId: restore.id,
            tenantId: restore.target_tenant_id,
            actorUserId: restore.requested_by,
            changes: { archiveId: restore.archive_id, mode: restore.mode, schemaVersion: archive.manifest.schemaVersion, rows },
          });
        });
        this.changes.tenantChanged(restore.target_tenant_id);
      } finally {
        await archive.close();
      }
    } catch (error) {
      // A lock held too long or a lost connection passes: the job's next attempt restores (its freeze stays on meanwhile).
      if (error instanceof AttemptSupersededError || signal.aborted || classifyDatabaseFailure(error) !== 'other') throw error;
      this.logger.warn(`Restore ${restore.id} into tenant ${restore.target_tenant_id} failed: ${(error as Error).message}`);
      await attempt.transaction(
        async (manager) => {
          await manager.query(`UPDATE tenant_restores SET status = 'failed', failure_reason = $2, completed_at = now() WHERE id = $1`, [
            restore.id,
            (error as Error).message.slice(0, 500),
          ]);
          await liftTenantWriteFreeze(manager, restore.target_tenant_id);
        },
        { cancellable: false },
      );
      this.changes.tenantChanged(restore.target_tenant_id);
    }
  }

  /**
   * Over the same tenant, its writes are frozen while its data is replaced (as a move's switch
   * freezes them): a write would otherwise land beside the archive's rows, or be wiped by them after
   * its client was told it succeeded. Writes wait, then get 503 with Retry-After; reads go on. A
   * move cannot run meanwhile (each refuses to start while the other is unfinished), so no one
   * else's freeze is lifted by the restore's end.
   */
  private async freezeWrites(attempt: FencedAttempt, tenantId: string): Promise<void> {
    await attempt.transaction((manager) => freezeTenantWrites(manager, tenantId));
    this.changes.tenantChanged(tenantId);
  }

  /** Its job failed for good (every attempt timed out or crashed): the restore is marked failed, and no attempt still running may complete it. */
  async markFailed(restoreId: string): Promise<void> {
    const tenantId = await this.dataSource.transaction(async (manager) => {
      const ended = await FencedAttempt.end(manager, RESTORE_FENCE, restoreId, {
        status: 'failed',
        failure_reason: 'The restore job failed on every attempt (timed out or interrupted)',
        completed_at: new Date(),
      });
      if (!ended) return null;
      const [restore] = await manager.query<Array<{ target_tenant_id: string; mode: string }>>(
        'SELECT target_tenant_id, mode FROM tenant_restores WHERE id = $1',
        [restoreId],
      );
      if (restore.mode === 'same') await liftTenantWriteFreeze(manager, restore.target_tenant_id);
      return restore.target_tenant_id;
    });
    if (tenantId) this.changes.tenantChanged(tenantId);
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
