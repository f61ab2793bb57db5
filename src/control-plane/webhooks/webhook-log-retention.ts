import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

export const WEBHOOK_LOG_RETENTION_QUEUE = 'webhook-log-retention';

/** Every day at 03:15 UTC. */
const SCHEDULE = '15 3 * * *';
/** Rows deleted per statement, so no run holds many locks or one long transaction. */
const BATCH = 5_000;

/**
 * Deletes finished deliveries (and, by cascade, their attempts) older than
 * WEBHOOK_LOG_RETENTION_DAYS, once a day for all processes. Idempotent: a rerun deletes what is
 * left; pending deliveries are never touched.
 */
@Injectable()
export class WebhookLogRetention implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookLogRetention.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.queue.defineQueue(WEBHOOK_LOG_RETENTION_QUEUE, {
      retryLimit: 3,
      retryDelay: 60,
      retryBackoff: true,
      expireInSeconds: 3_600,
    });
    await this.queue.schedule(WEBHOOK_LOG_RETENTION_QUEUE, SCHEDULE);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) return;
    await this.queue.work(WEBHOOK_LOG_RETENTION_QUEUE, 60, async (_job, signal) => {
      await this.purge(signal);
    });
  }

  /** Returns how many deliveries were deleted. */
  async purge(signal?: AbortSignal): Promise<number> {
    const days = this.config.get('webhooks.logRetentionDays', { infer: true });
    let deleted = 0;
    for (;;) {
      signal?.throwIfAborted();
      const [{ count }] = await this.dataSource.query<Array<{ count: number }>>(
        `WITH gone AS (
           DELETE FROM webhook_deliveries WHERE id IN (
             SELECT id FROM webhook_deliveries
              WHERE status <> 'pending' AND finished_at < now() - make_interval(days => $1) LIMIT $2)
           RETURNING 1
         ) SELECT count(*)::int AS count FROM gone`,
        [days, BATCH],
      );
      deleted += count;
      if (count < BATCH) break;
    }
    if (deleted > 0) this.logger.log(`Deleted ${deleted} webhook deliveries finished more than ${days} days ago`);
    return deleted;
  }
}
