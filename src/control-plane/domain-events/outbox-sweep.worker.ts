import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';
import { OutboxSweep } from './outbox-sweep';

export const OUTBOX_SWEEP_QUEUE = 'domain-event-outbox-sweep';

/** Every minute: events a kick left behind wait at most about this long (pg-boss schedules have minute resolution). */
const SWEEP_SCHEDULE = '* * * * *';

/**
 * The outbox sweep as a scheduled pg-boss job: one job per minute for the whole fleet, whichever
 * process takes it; a failed sweep is retried, an expired one runs again (a sweep is a relay, which
 * is idempotent). Worked in this process unless QUEUE_WORKER=false.
 */
@Injectable()
export class OutboxSweepWorker implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxSweepWorker.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly sweep: OutboxSweep,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.queue.defineQueue(OUTBOX_SWEEP_QUEUE, { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 });
    await this.queue.schedule(OUTBOX_SWEEP_QUEUE, SWEEP_SCHEDULE);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) return;
    await this.queue.work(OUTBOX_SWEEP_QUEUE, 5, async (_job, signal) => {
      const relayed = await this.sweep.sweep(signal);
      if (relayed > 0) this.logger.log(`The outbox sweep relayed ${relayed} event(s) a kick had left behind`);
    });
  }
}
