import { inspectTenantDatabase, migrateTenantDatabase, MigrationClass, MigrationLockedError, TenantSchemaTarget } from './tenant-schema-migrator';

/** One database of the fleet; its connection is built (credentials decrypted) only when it is reached. */
export interface FleetTarget {
  key: string;
  /** Migrated by `migrate` (default) or by a custom step, e.g. rebuilding a template. */
  connect?: () => Promise<TenantSchemaTarget>;
  custom?: () => Promise<string[]>;
}

export type FleetOutcomeStatus = 'migrated' | 'current' | 'pending' | 'failed' | 'skipped';

export interface FleetOutcome {
  status: FleetOutcomeStatus;
  /** Migrations applied (or, in a dry run, that would be). */
  applied: string[];
  error?: string;
  durationMs: number;
}

export interface FleetRunOptions {
  /** Databases migrated at the same time. */
  concurrency: number;
  /** Migrate this many targets first and stop if any of them fails. */
  canary?: number;
  /** List what would run where; change nothing. */
  dryRun?: boolean;
}

/**
 * Upgrades many tenant databases: `concurrency` at a time, each under its own advisory lock (a
 * database another runner holds is skipped, not waited for) and each migration in its own
 * transaction. One failing database is reported and does not stop the others; a rerun resumes,
 * since every database records what it has applied. With a canary, the first K targets go alone
 * and a failure among them stops the run before the rest are touched.
 */
export async function runFleetMigration(
  targets: FleetTarget[],
  migrations: MigrationClass[],
  options: FleetRunOptions,
  onOutcome: (target: FleetTarget, outcome: FleetOutcome) => Promise<void>,
): Promise<void> {
  const visit = async (target: FleetTarget) => onOutcome(target, await migrateOne(target, migrations, options.dryRun ?? false));
  const canary = Math.min(options.canary ?? 0, targets.length);
  if (canary > 0) {
    const failures: string[] = [];
    await forEachLimited(targets.slice(0, canary), options.concurrency, async (target) => {
      const outcome = await migrateOne(target, migrations, options.dryRun ?? false);
      if (outcome.status === 'failed') failures.push(target.key);
      await onOutcome(target, outcome);
    });
    if (failures.length > 0) {
      for (const target of targets.slice(canary)) {
        await onOutcome(target, { status: 'skipped', applied: [], error: `not run: the canary failed on ${failures.join(', ')}`, durationMs: 0 });
      }
      return;
    }
  }
  await forEachLimited(targets.slice(canary), options.concurrency, visit);
}

async function migrateOne(target: FleetTarget, migrations: MigrationClass[], dryRun: boolean): Promise<FleetOutcome> {
  const started = Date.now();
  const took = () => Date.now() - started;
  try {
    if (target.custom) {
      const applied = dryRun ? [] : await target.custom();
      return { status: dryRun ? 'pending' : applied.length > 0 ? 'migrated' : 'current', applied, durationMs: took() };
    }
    const connection = await target.connect!();
    if (dryRun) {
      const { pending } = await inspectTenantDatabase(connection, migrations);
      return { status: pending.length > 0 ? 'pending' : 'current', applied: pending, durationMs: took() };
    }
    const applied = await migrateTenantDatabase(connection, migrations);
    return { status: applied.length > 0 ? 'migrated' : 'current', applied, durationMs: took() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: error instanceof MigrationLockedError ? 'skipped' : 'failed', applied: [], error: message.slice(0, 1000), durationMs: took() };
  }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
