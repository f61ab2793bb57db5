import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { SourceSyncAttempts } from './source-sync-attempts';
import { SourceSyncQueue } from './source-sync-queue';
import { SourceSyncRuns } from './source-sync-runs.service';

/** Works the sync queues in this process unless QUEUE_WORKER=false. */
@Injectable()
export class SourceSyncWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(SourceSyncWorker.name);

  constructor(
    private readonly queue: SourceSyncQueue,
    private readonly attempts: SourceSyncAttempts,
    private readonly runs: SourceSyncRuns,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not sync byod sources');
      return;
    }
    await this.queue.work(
      (job, signal) => this.attempts.work(job, signal),
      () => this.runs.enqueueDue(),
    );
  }
}
