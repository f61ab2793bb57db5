import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';
import { FleetMigrationService } from './fleet-migration.service';

const FLEET_MIGRATION_QUEUE = 'fleet-migration';

/** Fleet migration runs started over HTTP go through the job queue; a worker process runs them. */
@Injectable()
export class FleetMigrationQueue implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly queue: JobQueue,
    private readonly fleet: FleetMigrationService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    // A run can take long; it is not retried (rerunning resumes, so an operator starts a new one).
    await this.queue.defineQueue(FLEET_MIGRATION_QUEUE, { retryLimit: 0, expireInSeconds: 6 * 3600 });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) return;
    // At the job's expiry the run starts no further database and ends `incomplete`; the next run resumes it.
    await this.queue.work<{ runId: string }>(FLEET_MIGRATION_QUEUE, 2, async (job, signal) => {
      await this.fleet.execute(job.data.runId, undefined, signal);
    });
  }

  async enqueue(manager: EntityManager, runId: string): Promise<void> {
    await this.queue.sendWithin((text, values) => manager.query(text, values), FLEET_MIGRATION_QUEUE, { runId });
  }

  wake(): void {
    this.queue.wake(FLEET_MIGRATION_QUEUE);
  }
}
