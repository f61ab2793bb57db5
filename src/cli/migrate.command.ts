import { SingleBar } from 'cli-progress';
import { Command, CommandRunner, Option } from 'nest-commander';
import { FleetMigrationService } from '../control-plane/fleet-migrations/fleet-migration.service';
import { positiveInteger } from './cli-arguments';

interface MigrateOptions {
  concurrency: number;
  tenant?: string;
  dryRun?: boolean;
  canary?: number;
}

/**
 * `npm run cli -- migrate`: the fleet migration runner in the foreground, with a progress bar and a
 * summary; exits 1 unless the run succeeded (a database skipped or failed, or the run interrupted).
 */
@Command({ name: 'migrate', description: 'Apply pending tenant migrations to every tenant database, pool and template' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly fleet: FleetMigrationService) {
    super();
  }

  async run(_parameters: string[], options: MigrateOptions): Promise<void> {
    const concurrency = positiveInteger(options.concurrency, '--concurrency', 32) ?? 4;
    const canary = positiveInteger(options.canary, '--canary', 10_000);
    const run = await this.fleet.createRun({ concurrency, tenant: options.tenant, dryRun: options.dryRun ?? false, canary }, null);
    const bar = new SingleBar({ format: 'migrating [{bar}] {value}/{total} databases | {label}', hideCursor: true, stream: process.stderr });
    let started = false;
    await this.fleet.execute(run.id, (done, total, target) => {
      if (!started) bar.start(total, 0, { label: '' });
      started = true;
      bar.update(done, { label: `${target.kind} ${target.label}` });
    });
    if (started) bar.stop();
    const { run: finished, targets } = await this.fleet.get(run.id);
    console.table(
      targets.map((target) => ({
        kind: target.kind,
        database: target.label,
        status: target.status,
        migrations: target.applied.join(', '),
        ms: target.durationMs,
        error: target.error ?? '',
      })),
    );
    const failed = targets.filter((target) => target.status === 'failed').length;
    const skipped = targets.filter((target) => target.status === 'skipped');
    const summary = `${finished.status}, ${targets.length} databases, ${failed} failed, ${skipped.length} skipped`;
    console.log(`${options.dryRun ? 'Dry run' : 'Fleet migration'} ${finished.id} to ${finished.targetVersion}: ${summary}`);
    for (const target of skipped) console.log(`skipped ${target.kind} ${target.label}: ${target.error}`);
    if (finished.error) console.log(`the run stopped: ${finished.error}`);
    // Anything short of every database done is a failure to a deploy script: skipped ones are not migrated.
    if (finished.status !== 'succeeded') process.exitCode = 1;
  }

  @Option({ flags: '-c, --concurrency <n>', description: 'databases migrated at the same time, 1-32 (default 4)' })
  parseConcurrency(value: string): number {
    return Number(value);
  }

  @Option({ flags: '-t, --tenant <slug>', description: 'only this tenant’s database (a pooled tenant: its pool)' })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'list what would run where; change nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--canary <k>', description: 'migrate k databases first and stop if any fails' })
  parseCanary(value: string): number {
    return Number(value);
  }
}
