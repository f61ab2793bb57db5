import { Command, CommandRunner } from 'nest-commander';
import { FleetMigrationService } from '../control-plane/fleet-migrations/fleet-migration.service';
import { ProvisioningQueue } from '../control-plane/provisioning/provisioning-queue';
import { CliOutput } from './cli-output';

@Command({ name: 'queue', description: 'Provisioning jobs per state and recent fleet migration runs' })
export class QueueCommand extends CommandRunner {
  constructor(
    private readonly provisioning: ProvisioningQueue,
    private readonly fleet: FleetMigrationService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const byState = await this.provisioning.countByState();
    const failed = (await this.provisioning.jobs('failed', 20)).map((job) => ({
      tenantId: (job.data as { tenantId: string }).tenantId,
      retries: job.retryCount,
    }));
    const fleetMigrations = (await this.fleet.list(10)).map(({ id, status, targetVersion, options, createdAt, finishedAt }) => ({
      id,
      status,
      targetVersion,
      dryRun: options.dryRun ?? false,
      createdAt,
      finishedAt,
    }));
    this.output.result({ provisioning: { byState, failed }, fleetMigrations }, () => {
      console.log('Provisioning jobs by state:');
      console.table([byState]);
      if (failed.length > 0) console.table(failed.map(({ tenantId, retries }) => ({ tenant: tenantId, retries })));
      console.log('Recent fleet migrations:');
      console.table(fleetMigrations);
    });
  }
}
