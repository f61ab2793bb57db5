import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { UsageMeasurements } from './usage-measurements.service';
import { UsageQueue } from './usage-queue';

/** Works the usage queues in this process unless QUEUE_WORKER=false. */
@Injectable()
export class UsageWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsageWorker.name);

  constructor(
    private readonly queue: UsageQueue,
    private readonly measurements: UsageMeasurements,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not measure usage');
      return;
    }
    await this.queue.work(
      (job, signal) => this.measurements.measure(job.data.tenantId, signal),
      () => this.measurements.measureFleet(),
    );
  }
}
