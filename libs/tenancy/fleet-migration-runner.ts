import {
  inspectTenantDatabase,
  migrateTenantDatabase,
  MigrationClass,
  MigrationLockedError,
  TenantSchemaTarget,
} from './tenant-schema-migrator';

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
  /**
   * How long a database another runner holds is retried before it is reported `skipped`: the
   * holder may be the session of a killed run that PostgreSQL has not noticed is gone yet.
   */
  lockWaitMs?: number;
  /** Aborted: no further database is started (those under way finish), e.g. the run lost its claim. */
  signal?: AbortSignal;
}

/** The reason a skipped database carries, so an operator knows to rerun once the lock is free. */
export const LOCKED_BY_ANOTHER_RUNNER = 'locked by another runner';
const LOCK_RETRY_MS = 250;

/**
 * Upgrades many tenant databases: `concurrency` at a time, each under its own advisory lock (a
 * database another runner holds is waited for up to `lockWaitMs`, then skipped, never migrated
 * twice) and each migration in its own transaction. One failing database is reported and does
 * not stop the others; a rerun resumes, since every database records what it has applied. With a canary, the first K targets go alone
 * and a failure among them stops the run before the rest are touched.
 */
export async function runFleetMigration(
  targets: FleetTarget[],
  migrations: MigrationClass[],
  options: FleetRunOptions,
  onOutcome: (target: FleetTarget, outcome: FleetOutcome) => Promise<void>,
): Promise<void> {
  const visit = async (target: FleetTarget) => onOutcome(target, await migrateOne(target, migrations, options));
  const canary = Math.min(options.canary ?? 0, targets.length);
  if (canary > 0) {
    const failures: string[] = [];
    await forEachLimited(targets.slice(0, canary), options.concurrency, options.signal, async (target) => {
      const outcome = await migrateOne(target, migrations, options);
      if (outcome.status === 'failed') failures.push(target.key);
      await onOutcome(target, outcome);
    });
    if (failures.length > 0) {
      for (const target of targets.slice(canary)) {
        await onOutcome(target, {
          status: 'skipped',
          applied: [],
          error: `not run: the canary failed on ${failures.join(', ')}`,
          durationMs: 0,
        });
      }
      return;
    }
  }
  await forEachLimited(targets.slice(canary), options.concurrency, options.signal, visit);
}

async function migrateOne(target: FleetTarget, migrations: MigrationClass[], options: FleetRunOptions): Promise<FleetOutcome> {
  const started = Date.now();
  const took = () => Date.now() - started;
  const lockWaitMs = options.lockWaitMs ?? 0;
  for (;;) {
    try {
      const { status, applied } = await attempt(target, migrations, options.dryRun ?? false);
      return { status, applied, durationMs: took() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof MigrationLockedError))
        return { status: 'failed', applied: [], error: message.slice(0, 1000), durationMs: took() };
      const remaining = lockWaitMs - took();
      if (remaining <= 0 || options.signal?.aborted) {
        const waited = `still held after waiting ${Math.round(lockWaitMs / 1000)} s`;
        const holder = 'a live one, or the session of a killed run PostgreSQL has not ended yet';
        const reason = `${LOCKED_BY_ANOTHER_RUNNER} (${holder}): ${waited}; rerun to migrate it`;
        return { status: 'skipped', applied: [], error: reason, durationMs: took() };
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_RETRY_MS, remaining)));
    }
  }
}

async function attempt(
  target: FleetTarget,
  migrations: MigrationClass[],
  dryRun: boolean,
): Promise<Pick<FleetOutcome, 'status' | 'applied'>> {
  if (target.custom) {
    const applied = dryRun ? [] : await target.custom();
    return { status: dryRun ? 'pending' : applied.length > 0 ? 'migrated' : 'current', applied };
  }
  const connection = await target.connect!();
  if (dryRun) {
    const { pending } = await inspectTenantDatabase(connection, migrations);
    return { status: pending.length > 0 ? 'pending' : 'current', applied: pending };
  }
  const applied = await migrateTenantDatabase(connection, migrations);
  return { status: applied.length > 0 ? 'migrated' : 'current', applied };
}

async function forEachLimited<T>(
  items: T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
