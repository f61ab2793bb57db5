import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobHandler, JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

/** One job per sync run. */
export const SOURCE_SYNC_QUEUE = 'source-sync';
/** Every minute: enqueues a run of each source whose `autoSync` is due. */
export const SOURCE_SYNC_DUE_QUEUE = 'source-sync-due';

const DUE_SCHEDULE = '* * * * *';
/** A run reads whole tables page by page; one that takes longer is retried (its pages already committed stay done). */
const JOB_TIMEOUT_SECONDS = 1_800;

export interface SourceSyncJob {
  runId: string;
}

/** The sync queues (pg-boss in the control-plane database): retries with exponential backoff, and the minute's schedule. */
@Injectable()
export class SourceSyncQueue implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    const { retryDelaySeconds, retryLimit } = this.config.get('sourceSync', { infer: true });
    await this.queue.defineQueue(SOURCE_SYNC_QUEUE, {
      retryLimit,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: JOB_TIMEOUT_SECONDS,
    });
    // A missed minute is harmless: the next one enqueues whatever is due.
    await this.queue.defineQueue(SOURCE_SYNC_DUE_QUEUE, { retryLimit: 0, expireInSeconds: 60 });
    await this.queue.schedule(SOURCE_SYNC_DUE_QUEUE, DUE_SCHEDULE);
  }

  /** Enqueues the run's job in the caller's transaction, the one that inserts the run. */
  enqueue(manager: EntityManager, job: SourceSyncJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), SOURCE_SYNC_QUEUE, job);
  }

  /** After the enqueuing transaction committed: start now if this process works the queue. */
  wake(): void {
    this.queue.wake(SOURCE_SYNC_QUEUE);
  }

  async work(run: JobHandler<SourceSyncJob>, due: JobHandler<object>): Promise<void> {
    await this.queue.work(SOURCE_SYNC_QUEUE, 1, run, 2);
    await this.queue.work(SOURCE_SYNC_DUE_QUEUE, 5, due);
  }
}
