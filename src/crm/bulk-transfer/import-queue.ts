import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue, TransactionalQuery } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';
import { ImportRunner } from './import-runner';

const IMPORT_QUEUE = 'bulk-import';

/** Imports run as queued jobs, sent in the transaction that stores their file; any worker process runs them. */
@Injectable()
export class ImportQueue implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly queue: JobQueue,
    private readonly runner: ImportRunner,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    // A retried attempt resumes (skip_invalid) or starts over (all_or_nothing); rows matched by their external key are not written twice.
    const { retryLimit, retryDelaySeconds, jobTimeoutSeconds } = this.config.get('imports', { infer: true });
    await this.queue.defineQueue(IMPORT_QUEUE, {
      retryLimit,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: jobTimeoutSeconds,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) return;
    await this.queue.work<{ importId: string }>(
      IMPORT_QUEUE,
      1,
      (job, signal) => this.runner.run(job.data.importId, signal, job.retryCount >= job.retryLimit),
      2,
    );
  }

  /** Sends the import's job in the caller's transaction (the one that stores the import). */
  async enqueue(query: TransactionalQuery, importId: string): Promise<void> {
    await this.queue.sendWithin(query, IMPORT_QUEUE, { importId });
  }

  wake(): void {
    this.queue.wake(IMPORT_QUEUE);
  }
}
