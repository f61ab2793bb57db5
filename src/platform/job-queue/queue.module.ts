import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../config/app-config';

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
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const logger = new Logger('JobQueue');
        return new JobQueue(
          {
            connectionString: config.get('database.url', { infer: true }),
            maintenanceIntervalSeconds: config.get('queue.maintenanceIntervalSeconds', { infer: true }),
          },
          (error) => logger.error(error.message),
        );
      },
    },
    JobQueueLifecycle,
  ],
  exports: [JobQueue],
})
export class QueueModule {}
