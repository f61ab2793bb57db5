import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { ProvisioningQueue } from './provisioning-queue';
import { TenantProvisioner } from './tenant-provisioner';

/** Works the provisioning queue in this process unless QUEUE_WORKER=false. */
@Injectable()
export class ProvisioningWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProvisioningWorker.name);

  constructor(
    private readonly queue: ProvisioningQueue,
    private readonly provisioner: TenantProvisioner,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) {
      this.logger.log('QUEUE_WORKER=false: this process does not provision tenants');
      return;
    }
    await this.queue.work(
      (job, signal) => this.provisioner.provision(job.data.tenantId, signal),
      (job) => this.provisioner.markFailed(job.data.tenantId, failureMessage(job.sourceOutput)),
    );
  }
}

/** pg-boss keeps the failing error (or its timeout notice) as the job's output, and hands it to the dead letter as `sourceOutput`. */
function failureMessage(output: unknown): string {
  const value = (output as { value?: { message?: unknown }; message?: unknown } | null) ?? {};
  const message = value.value?.message ?? value.message;
  return typeof message === 'string' ? message : 'provisioning failed';
}
