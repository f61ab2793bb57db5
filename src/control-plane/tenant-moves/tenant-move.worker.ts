import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { MoveCleanup } from './move-cleanup';
import { TenantMoveQueue } from './tenant-move-queue';
import { TenantMover } from './tenant-mover';

/** Works the tenant-move queues in this process unless QUEUE_WORKER=false. */
@Injectable()
export class TenantMoveWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(TenantMoveWorker.name);

  constructor(
    private readonly queue: TenantMoveQueue,
    private readonly mover: TenantMover,
    private readonly cleanup: MoveCleanup,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not move tenants');
      return;
    }
    await this.queue.work(
      (job, signal) => (job.data.kind === 'abandon' ? this.cleanup.abandon(job.data.moveId) : this.mover.run(job.data.moveId, signal)),
      (job) => (job.data.kind === 'run' ? this.mover.giveUp(job.data.moveId) : Promise.resolve()),
      (job) => (job.data.only === 'replication' ? this.cleanup.detach(job.data.moveId) : this.cleanup.removeOldCopy(job.data.moveId)),
    );
  }
}
