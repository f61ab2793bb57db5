import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { TenantArchiveQueue } from './tenant-archive-queue';
import { TenantBackupSweep } from './tenant-backup-sweep';
import { TenantExporter } from './tenant-exporter';
import { TenantRestorer } from './tenant-restorer';

/** Works the archive queues in this process unless QUEUE_WORKER=false. */
@Injectable()
export class TenantArchivesWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(TenantArchivesWorker.name);

  constructor(
    private readonly queue: TenantArchiveQueue,
    private readonly exporter: TenantExporter,
    private readonly restorer: TenantRestorer,
    private readonly sweep: TenantBackupSweep,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not write or restore tenant archives');
      return;
    }
    await this.queue.work({
      exportArchive: (job, signal) => this.exporter.run(job.data.archiveId, signal),
      exportFailed: (job) => this.exporter.markFailed(job.data.archiveId),
      restore: (job, signal) => this.restorer.run(job.data.restoreId, signal),
      restoreFailed: (job) => this.restorer.markFailed(job.data.restoreId),
      sweep: () => this.sweep.run(),
    });
  }
}
