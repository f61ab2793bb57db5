import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { killHard, runCli, startCli } from './support/app-process';
import { acceptInvitation, adminToken, createTenant, loginAs, unique, waitForProvisioning } from './support/factories';
import { Mailbox } from './support/mailbox';
import { lockMigrationOf } from './support/tenant-database-session';
import { startTestApp, TestApp } from './support/test-app';

/** The operator's CLI, run as its own process on the app's control plane: what its commands do (cli-conventions: how they answer). */
describe('cli', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  const cli = (...args: string[]) => runCli(t.databaseUrl, args);

  it('invites a platform admin, who chooses the password and can then log in', async () => {
    const email = `${unique('ops')}@example.test`;
    const invited = await cli('admins', 'invite', '--email', email);
    expect(invited).toMatchObject({ code: 0, stdout: expect.stringContaining(`for ${email} recorded`) });
    expect(invited.stdout).not.toMatch(/token=/);
    await acceptInvitation(t.api, email, 'a-password-the-admin-chose');
    expect((await loginAs(t.api, email, 'a-password-the-admin-chose')).roles).toEqual(['platform_admin']);

    const reset = await cli('admins', 'reset-password', '--email', email);
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringContaining(`password-reset link for ${email}`) });
    expect(reset.stdout).not.toMatch(/token=/);
    const link = Mailbox.tokenIn(await t.mailbox.take(email, /Reset your/));
    expect((await t.api.post('/auth/password/reset', { token: link, password: 'a-new-password-of-my-own' })).status).toBe(204);
    expect((await loginAs(t.api, email, 'a-new-password-of-my-own')).roles).toEqual(['platform_admin']);
    expect((await cli('admins', 'reset-password', '--email', 'nobody@example.test')).code).toBe(2);
  }, 90_000);

  it('creates, lists, suspends and resumes a tenant, and migrates it', async () => {
    const slug = unique('cli').toLowerCase();
    const created = await cli('tenants', 'create', '--slug', slug, '--placement', 'dedicated', '--admin-email', `${slug}@example.test`);
    expect(created.code).toBe(0);
    const [{ id }] = await t.sql('SELECT id FROM tenants WHERE slug = $1', [slug]);
    expect((await waitForProvisioning(t.api, admin, id)).status).toBe('active');
    await acceptInvitation(t.api, `${slug}@example.test`, 'a-long-enough-password');
    expect((await loginAs(t.api, `${slug}@example.test`, 'a-long-enough-password', slug)).roles).toEqual(['tenant_admin']);

    const listed = await cli('tenants', 'list');
    expect(listed.stdout).toMatch(new RegExp(`${slug}.*active.*dedicated.*${TENANT_MIGRATIONS.at(-1)!.name}`));

    expect((await cli('tenants', 'suspend', slug)).stdout).toContain(`Tenant ${slug} is suspended`);
    expect(
      (await t.api.post('/auth/login', { email: `${slug}@example.test`, password: 'a-long-enough-password', tenant: slug })).status,
    ).toBe(403);
    expect((await cli('tenants', 'resume', slug)).stdout).toContain(`Tenant ${slug} is active`);

    const dryRun = await cli('migrate', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(new RegExp(`dedicated.*${slug}.*current`));
    const migrated = await cli('migrate', '--tenant', slug, '--concurrency', '2');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/Fleet migration .* succeeded, 1 databases, 0 failed/);
  }, 120_000);

  it('exits 1 and names the database it skipped because a dead run’s session still holds its migration lock', async () => {
    const tenant = await createTenant(t.api, admin, { placement: 'dedicated' });
    const holder = await lockMigrationOf(t, tenant.id);
    try {
      const migrated = await runCli(t.databaseUrl, ['migrate', '--tenant', tenant.slug], { FLEET_LOCK_WAIT_SECONDS: '1' });
      expect(migrated.code).toBe(1);
      expect(migrated.stdout).toMatch(/Fleet migration .* incomplete, 1 databases, 0 failed, 1 skipped/);
      expect(migrated.stdout).toMatch(new RegExp(`skipped dedicated ${tenant.slug}: locked by another runner`));
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('marks a migrate killed with -9 interrupted once its heartbeat is stale, and the next migrate resumes what it left', async () => {
    const other = await createTenant(t.api, admin, { placement: 'dedicated' });
    const blocked = await createTenant(t.api, admin, { placement: 'dedicated' });
    const liveness = { FLEET_HEARTBEAT_SECONDS: '1', FLEET_STALE_AFTER_SECONDS: '3' };
    const holder = await lockMigrationOf(t, blocked.id);
    let killedRun: string;
    try {
      // Dedicated databases go one at a time, oldest first: the run reaches the newest (blocked) one and waits on its lock.
      const doomed = startCli(t.databaseUrl, ['migrate', '--concurrency', '1'], { ...liveness, FLEET_LOCK_WAIT_SECONDS: '60' });
      doomed.stdout.resume();
      doomed.stderr.resume();
      const waiting = await until(async () => {
        const [run] = await t.sql(
          `SELECT r.id, r.heartbeat_at > r.started_at AS beating FROM fleet_migration_runs r
            WHERE r.status = 'running' AND NOT EXISTS (
              SELECT 1 FROM fleet_migration_targets g WHERE g.run_id = r.id AND g.kind = 'dedicated' AND g.status = 'pending' AND g.target <> $1)
              AND EXISTS (SELECT 1 FROM fleet_migration_targets g WHERE g.run_id = r.id)`,
          [`tenant:${blocked.id}`],
        );
        return run?.beating ? run : undefined;
      }, 40_000);
      killedRun = waiting.id;
      await killHard(doomed);
    } finally {
      await holder.end();
    }
    await until(
      async () =>
        (await t.sql(`SELECT 1 FROM fleet_migration_runs WHERE id = $1 AND heartbeat_at < now() - interval '3 seconds'`, [killedRun]))[0],
      10_000,
    );

    const rerun = await runCli(t.databaseUrl, ['migrate', '--tenant', other.slug], liveness);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/Fleet migration .* succeeded/);
    const [killed] = await t.sql('SELECT status, resumed_by FROM fleet_migration_runs WHERE id = $1', [killedRun]);
    expect(killed.status).toBe('interrupted');
    const resumed = await t.sql('SELECT target, status FROM fleet_migration_targets WHERE run_id = $1', [killed.resumed_by]);
    expect(resumed).toEqual(
      expect.arrayContaining([
        { target: `tenant:${blocked.id}`, status: 'current' },
        { target: `tenant:${other.id}`, status: 'current' },
      ]),
    );
    expect(resumed.some((target: { target: string }) => target.target.startsWith('template:'))).toBe(true);
  }, 120_000);

  it('shows the state of the queues', async () => {
    const queue = await cli('queue');
    expect(queue.code).toBe(0);
    expect(queue.stdout).toContain('Provisioning jobs by state');
  }, 60_000);
});

/** Polls `probe` until it answers something, at most `timeoutMs`. */
async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
