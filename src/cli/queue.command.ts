import { Command, CommandRunner } from 'nest-commander';
import { FleetMigrationService } from '../control-plane/fleet-migrations/fleet-migration.service';
import { ProvisioningQueue } from '../control-plane/provisioning/provisioning-queue';

@Command({ name: 'queue', description: 'Provisioning jobs per state and recent fleet migration runs' })
export class QueueCommand extends CommandRunner {
  constructor(
    private readonly provisioning: ProvisioningQueue,
    private readonly fleet: FleetMigrationService,
  ) {
    super();
  }

  async run(): Promise<void> {
    console.log('Provisioning jobs by state:');
    console.table([await this.provisioning.countByState()]);
    const failed = await this.provisioning.jobs('failed', 20);
    if (failed.length > 0) console.table(failed.map((job) => ({ tenant: (job.data as { tenantId: string }).tenantId, retries: job.retryCount })));
    console.log('Recent fleet migrations:');
    console.table((await this.fleet.list(10)).map(({ id, status, targetVersion, createdAt, finishedAt }) => ({ id, status, targetVersion, createdAt, finishedAt })));
  }
}
