import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobHandler, JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

/** The scheduled purge of data past the plans' retention (RETENTION_SCHEDULE). */
export const DATA_RETENTION_QUEUE = 'tenant-data-retention';

/** The retention queue and its schedule. A purge that runs again finds less to purge: retrying is harmless. */
@Injectable()
export class DataRetentionQueue implements OnModuleInit {
  private readonly schedule: string;

  constructor(
    private readonly queue: JobQueue,
    config: ConfigService<AppConfig, true>,
  ) {
    this.schedule = config.get('archives.retentionSchedule', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    await this.queue.defineQueue(DATA_RETENTION_QUEUE, { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 3_600 });
    await this.queue.schedule(DATA_RETENTION_QUEUE, this.schedule);
  }

  work(handler: JobHandler<object>): Promise<void> {
    return this.queue.work(DATA_RETENTION_QUEUE, 1, handler);
  }
}
