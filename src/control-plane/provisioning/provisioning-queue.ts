import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobHandler, JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

export const PROVISIONING_QUEUE = 'tenant-provisioning';
/** Jobs that failed for good (retries exhausted, or expired on their last try) land here. */
export const PROVISIONING_DEAD_LETTERS = 'tenant-provisioning-failed';

const DEAD_LETTER_RETRIES = 10;

export interface ProvisioningJob {
  tenantId: string;
}

/** The provisioning queue (pg-boss in the control-plane database) with its retry and expiry policy. */
@Injectable()
export class ProvisioningQueue implements OnModuleInit {
  private readonly settings: AppConfig['provisioning'];

  constructor(
    private readonly queue: JobQueue,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('provisioning', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    // Marking a tenant failed is idempotent and may meet a lock timeout: it is retried rather than leave the tenant provisioning.
    await this.queue.defineQueue(PROVISIONING_DEAD_LETTERS, {
      retryLimit: DEAD_LETTER_RETRIES,
      retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true,
    });
    await this.queue.defineQueue(PROVISIONING_QUEUE, {
      retryLimit: this.settings.retryLimit,
      retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.settings.jobTimeoutSeconds,
      deadLetter: PROVISIONING_DEAD_LETTERS,
    });
  }

  /** Enqueues provisioning in the caller's transaction, so the tenant row and its job commit together. */
  async enqueue(manager: EntityManager, job: ProvisioningJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), PROVISIONING_QUEUE, job);
  }

  /** After the enqueuing transaction committed: start now if this process works the queue. */
  wake(): void {
    this.queue.wake(PROVISIONING_QUEUE);
  }

  async work(handler: JobHandler<ProvisioningJob>, onDeadLetter: JobHandler<ProvisioningJob>): Promise<void> {
    await this.queue.work(PROVISIONING_QUEUE, 1, handler, this.settings.concurrency);
    await this.queue.work(PROVISIONING_DEAD_LETTERS, 1, onDeadLetter);
  }

  countByState(): Promise<Record<string, number>> {
    return this.queue.countByState(PROVISIONING_QUEUE);
  }

  jobs(state: 'active' | 'failed' | 'retry', limit: number) {
    return this.queue.jobs(PROVISIONING_QUEUE, state, limit);
  }
}
