import { FleetOutcome, FleetTarget, LOCKED_BY_ANOTHER_RUNNER, runFleetMigration } from './fleet-migration-runner';
import { MigrationLockedError } from './tenant-schema-migrator';

/** A database whose migration lock another runner holds for its first `lockedAttempts` attempts. */
function lockedTarget(key: string, lockedAttempts: number): FleetTarget & { attempts: number } {
  const target = {
    key,
    attempts: 0,
    custom: async () => {
      target.attempts += 1;
      if (target.attempts <= lockedAttempts) throw new MigrationLockedError(key);
      return ['Next1799000000000'];
    },
  };
  return target;
}

async function run(targets: FleetTarget[], options: { lockWaitMs?: number; signal?: AbortSignal; concurrency?: number }) {
  const outcomes = new Map<string, FleetOutcome>();
  await runFleetMigration(targets, [], { concurrency: options.concurrency ?? 2, ...options }, async (target, outcome) => {
    outcomes.set(target.key, outcome);
  });
  return outcomes;
}

describe('runFleetMigration', () => {
  it('migrates a database once the runner holding its lock lets go within the wait', async () => {
    const target = lockedTarget('tenant:a', 2);
    const outcomes = await run([target], { lockWaitMs: 5_000 });
    expect(outcomes.get('tenant:a')).toMatchObject({ status: 'migrated', applied: ['Next1799000000000'] });
    expect(target.attempts).toBe(3);
  });

  it('reports a database still locked after the wait as skipped, with the reason', async () => {
    const outcomes = await run([lockedTarget('tenant:a', Infinity), lockedTarget('tenant:b', 0)], { lockWaitMs: 300 });
    expect(outcomes.get('tenant:a')).toMatchObject({ status: 'skipped', applied: [] });
    expect(outcomes.get('tenant:a')!.error).toContain(LOCKED_BY_ANOTHER_RUNNER);
    expect(outcomes.get('tenant:a')!.durationMs).toBeGreaterThanOrEqual(300);
    expect(outcomes.get('tenant:b')!.status).toBe('migrated');
  });

  it('without a wait skips a locked database at once', async () => {
    const target = lockedTarget('tenant:a', Infinity);
    const outcomes = await run([target], {});
    expect(outcomes.get('tenant:a')!.status).toBe('skipped');
    expect(target.attempts).toBe(1);
  });

  it('starts no further database once its signal is aborted (the run lost its claim)', async () => {
    const lost = new AbortController();
    const first: FleetTarget = { key: 'tenant:a', custom: async () => (lost.abort(), ['Next1799000000000']) };
    const outcomes = await run([first, lockedTarget('tenant:b', 0), lockedTarget('tenant:c', 0)], { signal: lost.signal, concurrency: 1 });
    expect([...outcomes.keys()]).toEqual(['tenant:a']);
  });
});
