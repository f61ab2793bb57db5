import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobHandler, JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

/** One job per tenant: measure its rows and storage for the day. */
export const USAGE_MEASUREMENT_QUEUE = 'tenant-usage-measurement';
/** The daily scheduled job that enqueues a measurement of every active tenant. */
export const USAGE_DAILY_QUEUE = 'tenant-usage-daily';

const RETRY_LIMIT = 3;
const RETRY_DELAY_SECONDS = 30;
const JOB_TIMEOUT_SECONDS = 600;

export interface UsageMeasurementJob {
  tenantId: string;
}

/** The usage queues (pg-boss in the control-plane database): their retry policy and the daily schedule. */
@Injectable()
export class UsageQueue implements OnModuleInit {
  private readonly schedule: string;

  constructor(
    private readonly queue: JobQueue,
    config: ConfigService<AppConfig, true>,
  ) {
    this.schedule = config.get('usage.measureSchedule', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    // A measurement writes the day's row whole, so a retried or repeated one is harmless.
    const policy = { retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: JOB_TIMEOUT_SECONDS };
    await this.queue.defineQueue(USAGE_MEASUREMENT_QUEUE, policy);
    await this.queue.defineQueue(USAGE_DAILY_QUEUE, policy);
    await this.queue.schedule(USAGE_DAILY_QUEUE, this.schedule);
  }

  /** Enqueues a measurement in the caller's transaction. */
  enqueue(manager: EntityManager, job: UsageMeasurementJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), USAGE_MEASUREMENT_QUEUE, job);
  }

  /** After the enqueuing transaction committed: start now if this process works the queue. */
  wake(): void {
    this.queue.wake(USAGE_MEASUREMENT_QUEUE);
  }

  async work(measure: JobHandler<UsageMeasurementJob>, daily: JobHandler<object>): Promise<void> {
    await this.queue.work(USAGE_MEASUREMENT_QUEUE, 1, measure);
    await this.queue.work(USAGE_DAILY_QUEUE, 1, daily);
  }
}
