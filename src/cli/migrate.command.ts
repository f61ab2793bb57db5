import { SingleBar } from 'cli-progress';
import { Command, CommandRunner, Option } from 'nest-commander';
import { FleetMigrationService } from '../control-plane/fleet-migrations/fleet-migration.service';
import { positiveInteger } from './cli-arguments';
import { EXIT_FAILURE } from './cli-exit-codes';
import { CliOutput } from './cli-output';

interface MigrateOptions {
  concurrency: number;
  tenant?: string;
  dryRun?: boolean;
  canary?: number;
}

/**
 * `npm run cli -- migrate`: the fleet migration runner in the foreground, with a progress bar and a
 * summary; exits 1 unless the run succeeded (a database skipped or failed, or the run interrupted).
 * A dry run inspects each database and changes none (the run itself is recorded, marked as dry).
 */
@Command({ name: 'migrate', description: 'Apply pending tenant migrations to every tenant database, pool and template' })
export class MigrateCommand extends CommandRunner {
  constructor(
    private readonly fleet: FleetMigrationService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_parameters: string[], options: MigrateOptions): Promise<void> {
    const concurrency = positiveInteger(options.concurrency, '--concurrency', 32) ?? 4;
    const canary = positiveInteger(options.canary, '--canary', 10_000);
    const dryRun = options.dryRun ?? false;
    if (dryRun && !this.output.json) console.log('DRY RUN: pending migrations are listed, no database is changed');
    const run = await this.fleet.createRun({ concurrency, tenant: options.tenant, dryRun, canary }, null);
    const bar = new SingleBar({
      format: 'migrating [{bar}] {value}/{total} databases | {label}',
      hideCursor: true,
      stream: process.stderr,
    });
    let started = false;
    await this.fleet.execute(run.id, (done, total, target) => {
      if (!started) bar.start(total, 0, { label: '' });
      started = true;
      bar.update(done, { label: `${target.kind} ${target.label}` });
    });
    if (started) bar.stop();
    const { run: finished, targets } = await this.fleet.get(run.id);
    const failed = targets.filter((target) => target.status === 'failed').length;
    const skipped = targets.filter((target) => target.status === 'skipped');
    const databases = targets.map(({ kind, label, status, applied, durationMs, error }) => ({
      kind,
      database: label,
      status,
      // Those applied; in a dry run, those a run would apply.
      migrations: applied,
      durationMs,
      error,
    }));
    const { id, status, targetVersion, error } = finished;
    this.output.result({ dryRun, run: { id, status, targetVersion, error }, databases, failed, skipped: skipped.length }, () => {
      console.table(
        databases.map((database) => ({ ...database, migrations: database.migrations.join(', '), error: database.error ?? '' })),
      );
      const summary = `${status}, ${targets.length} databases, ${failed} failed, ${skipped.length} skipped`;
      console.log(`${dryRun ? 'DRY RUN (nothing changed):' : 'Fleet migration'} ${id} to ${targetVersion}: ${summary}`);
      for (const target of skipped) console.log(`skipped ${target.kind} ${target.label}: ${target.error}`);
      if (error) console.log(`the run stopped: ${error}`);
    });
    // Anything short of every database done is a failure to a deploy script: skipped ones are not migrated.
    if (status !== 'succeeded') process.exitCode = EXIT_FAILURE;
  }

  @Option({ flags: '-c, --concurrency <n>', description: 'databases migrated at the same time, 1-32 (default 4)' })
  parseConcurrency(value: string): number {
    return Number(value);
  }

  @Option({ flags: '-t, --tenant <slug>', description: 'only this tenant’s database (a pooled tenant: its pool)' })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'list what would run where; change no database' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--canary <k>', description: 'migrate k databases first and stop if any fails' })
  parseCanary(value: string): number {
    return Number(value);
  }
}
