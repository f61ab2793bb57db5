import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobHandler, JobQueue, LIVENESS_HEARTBEAT_SECONDS } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

/** One job per archive: write it. */
export const TENANT_EXPORT_QUEUE = 'tenant-archive-export';
/** One job per restore: replace the target tenant's data with the archive's. */
export const TENANT_RESTORE_QUEUE = 'tenant-archive-restore';
/** Export and restore jobs that failed for good (retries exhausted, or expired on their last try): their rows are marked failed. */
export const TENANT_EXPORT_DEAD_LETTERS = 'tenant-archive-export-failed';
export const TENANT_RESTORE_DEAD_LETTERS = 'tenant-archive-restore-failed';
/** The scheduled sweep that backs up the tenants due and prunes old backups. */
export const TENANT_BACKUP_SWEEP_QUEUE = 'tenant-backup-sweep';

export interface TenantExportJob {
  archiveId: string;
}

export interface TenantRestoreJob {
  restoreId: string;
}

const RETRY_LIMIT = 3;
const RETRY_DELAY_SECONDS = 30;

/** The archive queues (pg-boss in the control-plane database): retry and expiry policy, and the backup schedule. */
@Injectable()
export class TenantArchiveQueue implements OnModuleInit {
  private readonly settings: AppConfig['archives'];

  constructor(
    private readonly queue: JobQueue,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('archives', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    // Every job of these queues can run again: an export rewrites its file, a restore replaces the data whole, a sweep skips what is done.
    const policy = {
      retryLimit: RETRY_LIMIT,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: this.settings.jobTimeoutSeconds,
      // A restore over a tenant freezes its writes: a killed worker's restore resumes within a minute, not at the timeout.
      heartbeatSeconds: LIVENESS_HEARTBEAT_SECONDS,
    };
    await this.queue.defineQueue(TENANT_EXPORT_DEAD_LETTERS, { retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_SECONDS });
    await this.queue.defineQueue(TENANT_RESTORE_DEAD_LETTERS, { retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_SECONDS });
    await this.queue.defineQueue(TENANT_EXPORT_QUEUE, { ...policy, deadLetter: TENANT_EXPORT_DEAD_LETTERS });
    await this.queue.defineQueue(TENANT_RESTORE_QUEUE, { ...policy, deadLetter: TENANT_RESTORE_DEAD_LETTERS });
    await this.queue.defineQueue(TENANT_BACKUP_SWEEP_QUEUE, policy);
    await this.queue.schedule(TENANT_BACKUP_SWEEP_QUEUE, this.settings.backupSchedule);
  }

  /** Enqueues writing an archive in the caller's transaction, so the archive row and its job commit together. */
  enqueueExport(manager: EntityManager, job: TenantExportJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), TENANT_EXPORT_QUEUE, job);
  }

  enqueueRestore(manager: EntityManager, job: TenantRestoreJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), TENANT_RESTORE_QUEUE, job);
  }

  /** After the enqueuing transaction committed: start now if this process works the queues. */
  wake(): void {
    this.queue.wake(TENANT_EXPORT_QUEUE);
    this.queue.wake(TENANT_RESTORE_QUEUE);
  }

  async work(handlers: {
    exportArchive: JobHandler<TenantExportJob>;
    exportFailed: JobHandler<TenantExportJob>;
    restore: JobHandler<TenantRestoreJob>;
    restoreFailed: JobHandler<TenantRestoreJob>;
    sweep: JobHandler<object>;
  }): Promise<void> {
    await this.queue.work(TENANT_EXPORT_QUEUE, 1, handlers.exportArchive);
    await this.queue.work(TENANT_EXPORT_DEAD_LETTERS, 1, handlers.exportFailed);
    await this.queue.work(TENANT_RESTORE_QUEUE, 1, handlers.restore);
    await this.queue.work(TENANT_RESTORE_DEAD_LETTERS, 1, handlers.restoreFailed);
    await this.queue.work(TENANT_BACKUP_SWEEP_QUEUE, 1, handlers.sweep);
  }
}
