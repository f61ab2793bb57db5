import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { DataRetention } from './data-retention';
import { DataRetentionQueue } from './data-retention-queue';

/** Works the retention queue in this process unless QUEUE_WORKER=false. */
@Injectable()
export class DataRetentionWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(DataRetentionWorker.name);

  constructor(
    private readonly queue: DataRetentionQueue,
    private readonly retention: DataRetention,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not purge expired data');
      return;
    }
    await this.queue.work((_job, signal) => this.retention.purgeAll(signal));
  }
}
