import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../config/app-config';
import { AppMetrics } from '../metrics/app-metrics';

/** Starts the one job queue of this process before any module defines its queues, and stops it last. */
@Injectable()
class JobQueueLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}

  onModuleInit(): Promise<void> {
    return this.queue.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.queue.stop();
  }
}

/** The durable job queue (pg-boss in the control-plane database), shared by every module that enqueues or works jobs. */
@Global()
@Module({
  providers: [
    {
      provide: JobQueue,
      inject: [ConfigService, AppMetrics],
      useFactory: (config: ConfigService<AppConfig, true>, metrics: AppMetrics) => {
        const logger = new Logger('JobQueue');
        const queue = new JobQueue(
          {
            connectionString: config.get('database.url', { infer: true }),
            maintenanceIntervalSeconds: config.get('queue.maintenanceIntervalSeconds', { infer: true }),
            onAttemptSettled: (name, seconds, outcome) => metrics.jobAttempts.labels(name, outcome).observe(seconds),
          },
          (error) => logger.error(error.message),
        );
        metrics.gauge('job_queue_jobs', 'Jobs of each queue this process defined, by state', ['queue', 'state'], async () => {
          const counts = await Promise.all(queue.queueNames.map(async (name) => ({ name, byState: await queue.countByState(name) })));
          return counts.flatMap(({ name, byState }) =>
            Object.entries(byState).map(([state, value]) => ({ labels: { queue: name, state }, value })),
          );
        });
        return queue;
      },
    },
    JobQueueLifecycle,
  ],
  exports: [JobQueue],
})
export class QueueModule {}
