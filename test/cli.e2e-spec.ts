import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATION_LOCK_KEY } from '../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { killHard, runBuiltCli, runCli, startCli } from './support/app-process';
import { acceptInvitation, adminToken, createTenant, loginAs, unique, waitForProvisioning } from './support/factories';
import { Mailbox } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** The operator's CLI, run as its own process on the app's control plane. */
describe('cli', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  const cli = (...args: string[]) => runCli(t.databaseUrl, args);

  /** A superuser session on a dedicated tenant's own database. */
  const connectToDatabaseOf = async (tenantId: string) => {
    const [{ database_name: database }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [tenantId]);
    const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
    url.pathname = `/${database}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    return client;
  };

  /** Holds a tenant database's migration lock from a session of its own, as a killed run's session would. */
  const lockMigrationOf = async (tenantId: string) => {
    const holder = await connectToDatabaseOf(tenantId);
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return holder;
  };

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
    expect((await t.api.post('/auth/login', { email: `${slug}@example.test`, password: 'a-long-enough-password', tenant: slug })).status).toBe(403);
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
    const holder = await lockMigrationOf(tenant.id);
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
    const holder = await lockMigrationOf(blocked.id);
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
    await until(async () => (await t.sql(`SELECT 1 FROM fleet_migration_runs WHERE id = $1 AND heartbeat_at < now() - interval '3 seconds'`, [killedRun]))[0], 10_000);

    const rerun = await runCli(t.databaseUrl, ['migrate', '--tenant', other.slug], liveness);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/Fleet migration .* succeeded/);
    const [killed] = await t.sql('SELECT status, resumed_by FROM fleet_migration_runs WHERE id = $1', [killedRun]);
    expect(killed.status).toBe('interrupted');
    const resumed = await t.sql('SELECT target, status FROM fleet_migration_targets WHERE run_id = $1', [killed.resumed_by]);
    expect(resumed).toEqual(expect.arrayContaining([{ target: `tenant:${blocked.id}`, status: 'current' }, { target: `tenant:${other.id}`, status: 'current' }]));
    expect(resumed.some((target: { target: string }) => target.target.startsWith('template:'))).toBe(true);
  }, 120_000);

  it('refuses bad arguments with exit code 2 and a message naming them', async () => {
    const badConcurrency = await cli('migrate', '--concurrency', '0');
    expect(badConcurrency).toMatchObject({ code: 2, stderr: expect.stringContaining('--concurrency must be a whole number from 1 to 32') });
    const badTenant = await cli('tenants', 'create', '--slug', 'Not A Slug', '--admin-email', 'nope');
    expect(badTenant.code).toBe(2);
    expect(badTenant.stderr).toMatch(/slug must be a DNS label[\s\S]*admin.email must be an email/);
    expect(await cli('tenants', 'suspend', 'no-such-tenant')).toMatchObject({ code: 2, stderr: expect.stringContaining('Tenant "no-such-tenant" not found') });
    expect(await cli('migrate', '--tenant', 'no-such-tenant')).toMatchObject({ code: 2, stderr: expect.stringContaining('Tenant "no-such-tenant" not found') });
  }, 60_000);

  it('exits 2 with one line naming the mistake for an unknown command or option, a missing or extra argument, or a group without its command', async () => {
    const mistakes: Array<[string[], string]> = [
      [['migrate', '--frobnicate'], "unknown option '--frobnicate'"],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['tenants', 'suspend'], "missing required argument 'tenant'"],
      [['tenants', 'suspend', 'acme', 'globex'], "too many arguments for 'suspend'"],
      [['tenants'], 'a command is needed'],
    ];
    for (const [args, message] of mistakes) {
      const result = await cli(...args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      const lastLine = result.stderr.trimEnd().split('\n').at(-1);
      expect(lastLine).toMatch(new RegExp(`^error: ${message}.* \\(see --help\\)$`));
    }
    expect(await cli('tenants', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('suspend <tenant>') });
  }, 120_000);

  it('refuses a password on the command line with exit code 2 and says why, before doing anything', async () => {
    const email = `${unique('argv')}@example.test`;
    for (const flag of ['--password=hunter2hunter2', '--admin-password']) {
      const refused = await cli('admins', 'invite', '--email', email, flag);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('passwords and secrets are never taken from the command line (shell history and ps show them)');
      expect(refused.stderr).not.toContain('hunter2');
    }
    expect(await t.sql('SELECT 1 FROM invitations WHERE email = $1', [email])).toEqual([]);
  }, 60_000);

  it('prints one JSON document on stdout with --json: results, failures (exit 1) and usage errors (exit 2) alike', async () => {
    const slug = unique('json').toLowerCase();
    const created = await cli('tenants', 'create', '--json', '--slug', slug, '--placement', 'dedicated', '--admin-email', `${slug}@example.test`);
    expect(created.code).toBe(0);
    const { tenant } = JSON.parse(created.stdout);
    expect(tenant).toMatchObject({ slug, placement: 'dedicated', status: 'provisioning' });
    await waitForProvisioning(t.api, admin, tenant.id);

    const listed = await cli('--json', 'tenants', 'list');
    expect(JSON.parse(listed.stdout).tenants).toContainEqual(expect.objectContaining({ id: tenant.id, slug, status: 'active', placement: 'dedicated' }));
    expect(JSON.parse((await cli('tenants', 'suspend', slug, '--json')).stdout)).toEqual({ tenant: { id: tenant.id, slug, status: 'suspended' } });
    expect(JSON.parse((await cli('tenants', 'resume', slug, '--json')).stdout)).toEqual({ tenant: { id: tenant.id, slug, status: 'active' } });
    const queue = JSON.parse((await cli('queue', '--json')).stdout);
    expect(queue.provisioning.byState).toEqual(expect.objectContaining({ completed: expect.any(Number), failed: expect.any(Number) }));
    expect(JSON.parse((await cli('keys', 'status', '--json')).stdout)).toMatchObject({ activeKeyId: expect.any(String), secrets: expect.any(Array) });

    const holder = await lockMigrationOf(tenant.id);
    try {
      const incomplete = await runCli(t.databaseUrl, ['migrate', '--tenant', slug, '--json'], { FLEET_LOCK_WAIT_SECONDS: '1' });
      expect(incomplete.code).toBe(1);
      expect(JSON.parse(incomplete.stdout)).toMatchObject({
        dryRun: false,
        run: { status: 'incomplete' },
        databases: [{ kind: 'dedicated', database: slug, status: 'skipped', error: expect.stringContaining('locked by another runner') }],
        skipped: 1,
      });
    } finally {
      await holder.end();
    }

    const unknown = await cli('tenants', 'suspend', 'no-such-tenant', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: { code: 'usage', message: 'Tenant "no-such-tenant" not found' } });
    const badOption = await cli('--json', 'queue', '--verbose');
    expect(badOption.code).toBe(2);
    expect(JSON.parse(badOption.stdout)).toEqual({ error: { code: 'usage', message: "unknown option '--verbose'" } });
    const invalid = await cli('tenants', 'create', '--slug', 'Not A Slug', '--admin-email', 'nope', '--json');
    expect(JSON.parse(invalid.stdout).error.details.map((detail: { field: string }) => detail.field)).toEqual(['slug', 'admin.email']);
  }, 120_000);

  it('marks a dry run as one and changes no database: the migration it lists stays pending', async () => {
    const tenant = await createTenant(t.api, admin, { placement: 'dedicated' });
    const latest = TENANT_MIGRATIONS.at(-1)!.name;
    const database = await connectToDatabaseOf(tenant.id);
    try {
      // The tenant database forgets it applied the latest migration: to a run, that migration is pending there.
      const [forgotten] = (await database.query('DELETE FROM tenant_schema_migrations WHERE name = $1 RETURNING *', [latest])).rows;
      try {
        const human = await cli('migrate', '--dry-run', '--tenant', tenant.slug);
        expect(human.code).toBe(0);
        expect(human.stdout).toMatch(/^DRY RUN: /);
        expect(human.stdout).toMatch(new RegExp(`dedicated.*${tenant.slug}.*pending.*${latest}`));
        expect(human.stdout).toMatch(/DRY RUN \(nothing changed\): .* succeeded, 1 databases/);

        const json = JSON.parse((await cli('migrate', '--dry-run', '--tenant', tenant.slug, '--json')).stdout);
        expect(json).toMatchObject({ dryRun: true, databases: [{ database: tenant.slug, status: 'pending', migrations: [latest] }] });
        expect(JSON.parse((await cli('queue', '--json')).stdout).fleetMigrations[0]).toMatchObject({ id: json.run.id, dryRun: true });

        expect((await database.query('SELECT 1 FROM tenant_schema_migrations WHERE name = $1', [latest])).rows).toEqual([]);
        expect(await t.sql('SELECT schema_version FROM tenants WHERE id = $1', [tenant.id])).toEqual([{ schema_version: latest }]);
      } finally {
        await database.query('INSERT INTO tenant_schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [forgotten.id, forgotten.timestamp, forgotten.name]);
      }
    } finally {
      await database.end();
    }
  }, 60_000);

  it('runs from the build without rebuilding it on every call, with nothing but the JSON document on stdout', async () => {
    // The first call builds dist/ if it is missing or older than the sources (once per checkout).
    const first = await runBuiltCli(t.databaseUrl, ['queue', '--json']);
    expect(first).toMatchObject({ code: 0 });
    const built = (file: string) => statSync(join(__dirname, '..', file)).mtimeMs;
    const before = { stamp: built('dist/.build-stamp'), cli: built('dist/src/cli.js') };

    const second = await runBuiltCli(t.databaseUrl, ['queue', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toHaveProperty('provisioning.byState');
    expect(second.stderr).not.toContain('Building dist/');
    expect({ stamp: built('dist/.build-stamp'), cli: built('dist/src/cli.js') }).toEqual(before);
  }, 300_000);

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
