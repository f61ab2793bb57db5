import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { writeTenantArchive } from '../../../libs/archives';
import { AttemptSupersededError, FencedAttempt, FenceTarget } from '../../../libs/queue/fenced-attempt';
import { AuditService } from '../audit/audit.service';
import { ArchiveStorage } from './archive-storage';
import { TenantBackupPruning } from './tenant-backup-pruning';
import { TenantDataSessions } from './tenant-data-sessions';

export const ARCHIVE_FENCE: FenceTarget = { table: 'tenant_archives', tokenColumn: 'attempt_token', ownedWhile: "status = 'pending'" };

interface PendingArchive {
  id: string;
  tenant_id: string;
  kind: 'export' | 'backup';
  requested_by: string | null;
}

/**
 * Writes one archive (the export job). Each attempt claims the archive row (fenced): it reads the
 * tenant in one snapshot, writes the file under a name of its own (an attempt that runs again
 * overwrites it whole), and records the result only while it still owns the row. A failure is
 * recorded on the archive; a new export can be asked for.
 */
@Injectable()
export class TenantExporter {
  private readonly logger = new Logger(TenantExporter.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: TenantDataSessions,
    private readonly storage: ArchiveStorage,
    private readonly audit: AuditService,
    private readonly pruning: TenantBackupPruning,
  ) {}

  async run(archiveId: string, signal: AbortSignal): Promise<void> {
    const attempt = await FencedAttempt.claim(this.dataSource, ARCHIVE_FENCE, archiveId, signal);
    if (!attempt) return;
    const [archive] = await this.dataSource.query<PendingArchive[]>(
      'SELECT id, tenant_id, kind, requested_by FROM tenant_archives WHERE id = $1',
      [archiveId],
    );
    const fileName = this.storage.nameFor(archive.tenant_id, archive.id);
    // Each attempt writes a file of its own, moved under the archive's name only while the attempt still owns the row.
    const partial = await this.storage.stagingPath(fileName, attempt.token);
    try {
      const written = await this.sessions.snapshot(archive.tenant_id, (runner, tenant) =>
        writeTenantArchive(runner, { tenantId: tenant.id, schemaVersion: tenant.schemaVersion ?? 'unknown' }, partial, signal),
      );
      const tables = written.manifest.tables.map(({ name, rows, sha256 }) => ({ name, rows, sha256 }));
      await attempt.transaction(async (manager) => {
        // Kept (renamed, or uploaded) under the row's lock: a newer attempt's claim waits, so the file is always the recorded one.
        await this.storage.put(partial, fileName);
        await manager.query(
          `UPDATE tenant_archives SET status = 'completed', file_name = $2, size_bytes = $3, sha256 = $4, schema_version = $5, tables = $6,
                  completed_at = now() WHERE id = $1`,
          [archive.id, fileName, written.bytes, written.sha256, written.manifest.schemaVersion, JSON.stringify(tables)],
        );
        await this.audit.record(manager, {
          action: `tenant.${archive.kind}.complete`,
          targetType: 'tenant_archive',
          targetId: archive.id,
          tenantId: archive.tenant_id,
          actorUserId: archive.requested_by,
          changes: {
            sizeBytes: written.bytes,
            schemaVersion: written.manifest.schemaVersion,
            rows: Object.fromEntries(tables.map((t) => [t.name, t.rows])),
          },
        });
      });
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof AttemptSupersededError) throw error;
      if (signal.aborted) throw error;
      this.logger.warn(`Archive ${archive.id} of tenant ${archive.tenant_id} failed: ${(error as Error).message}`);
      await attempt.transaction(
        async (manager) => {
          await this.storage.remove(fileName);
          await manager.query(`UPDATE tenant_archives SET status = 'failed', failure_reason = $2, completed_at = now() WHERE id = $1`, [
            archive.id,
            (error as Error).message.slice(0, 500),
          ]);
        },
        { cancellable: false },
      );
      return;
    }
    if (archive.kind === 'backup') await this.pruning.prune(archive.tenant_id);
  }

  /** Its job failed for good (every attempt timed out or crashed): the archive is marked failed, and no attempt still running may complete it. */
  async markFailed(archiveId: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      FencedAttempt.end(manager, ARCHIVE_FENCE, archiveId, {
        status: 'failed',
        failure_reason: 'The export job failed on every attempt (timed out or interrupted)',
        completed_at: new Date(),
      }),
    );
  }
}
