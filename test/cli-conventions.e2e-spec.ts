import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { runBuiltCli, runCli } from './support/app-process';
import { adminToken, createTenant, unique, waitForProvisioning } from './support/factories';
import { connectToDatabaseOf, lockMigrationOf } from './support/tenant-database-session';
import { startTestApp, TestApp } from './support/test-app';

/**
 * How every CLI command answers: exit codes (0 ok, 1 failure, 2 usage), `--json`, secrets refused
 * on argv, dry runs marked, and the build reused. Each call boots the CLI, so independent calls run together.
 */
describe('cli conventions', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  const cli = (...args: string[]) => runCli(t.databaseUrl, args);

  it('exits 2 with one line naming the mistake: a bad value, an unknown command or option, a missing or extra argument, a group without its command', async () => {
    const mistakes: Array<[string[], string]> = [
      [['migrate', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 32'],
      [['migrate', '--frobnicate'], "unknown option '--frobnicate'"],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['tenants', 'suspend'], "missing required argument 'tenant'"],
      [['tenants', 'suspend', 'acme', 'globex'], "too many arguments for 'suspend'"],
      [['tenants'], 'a command is needed'],
    ];
    const [help, badTenant, unknownTenant, ...results] = await Promise.all([
      cli('tenants', '--help'),
      cli('tenants', 'create', '--slug', 'Not A Slug', '--admin-email', 'nope'),
      cli('migrate', '--tenant', 'no-such-tenant'),
      ...mistakes.map(([args]) => cli(...args)),
    ]);
    mistakes.forEach(([args, message], at) => {
      const result = results[at];
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr.trimEnd().split('\n').at(-1)).toContain(message);
    });
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('suspend <tenant>') });
    expect(badTenant.code).toBe(2);
    expect(badTenant.stderr).toMatch(/slug must be a DNS label[\s\S]*admin.email must be an email/);
    expect(unknownTenant).toMatchObject({ code: 2, stderr: expect.stringContaining('Tenant "no-such-tenant" not found') });
  }, 120_000);

  it('refuses a password on the command line with exit code 2 and says why, before doing anything', async () => {
    const email = `${unique('argv')}@example.test`;
    const refusals = await Promise.all(
      ['--password=hunter2hunter2', '--admin-password'].map((flag) => cli('admins', 'invite', '--email', email, flag)),
    );
    for (const refused of refusals) {
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('passwords and secrets are never taken from the command line (shell history and ps show them)');
      expect(refused.stderr).not.toContain('hunter2');
    }
    expect(await t.sql('SELECT 1 FROM invitations WHERE email = $1', [email])).toEqual([]);
  }, 60_000);

  it('prints one JSON document on stdout with --json: results, failures (exit 1) and usage errors (exit 2) alike', async () => {
    const slug = unique('json').toLowerCase();
    const created = await cli(
      'tenants',
      'create',
      '--json',
      '--slug',
      slug,
      '--placement',
      'dedicated',
      '--admin-email',
      `${slug}@example.test`,
    );
    expect(created.code).toBe(0);
    const { tenant } = JSON.parse(created.stdout);
    expect(tenant).toMatchObject({ slug, placement: 'dedicated', status: 'provisioning' });
    await waitForProvisioning(t.api, admin, tenant.id);

    const [listed, queue, keys, unknown, badOption, invalid] = await Promise.all([
      cli('--json', 'tenants', 'list'),
      cli('queue', '--json'),
      cli('keys', 'status', '--json'),
      cli('tenants', 'suspend', 'no-such-tenant', '--json'),
      cli('--json', 'queue', '--verbose'),
      cli('tenants', 'create', '--slug', 'Not A Slug', '--admin-email', 'nope', '--json'),
    ]);
    expect(JSON.parse(listed.stdout).tenants).toContainEqual(
      expect.objectContaining({ id: tenant.id, slug, status: 'active', placement: 'dedicated' }),
    );
    expect(JSON.parse(queue.stdout).provisioning.byState).toEqual(
      expect.objectContaining({ completed: expect.any(Number), failed: expect.any(Number) }),
    );
    expect(JSON.parse(keys.stdout)).toMatchObject({ activeKeyId: expect.any(String), secrets: expect.any(Array) });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: { code: 'usage', message: 'Tenant "no-such-tenant" not found' } });
    expect(badOption.code).toBe(2);
    expect(JSON.parse(badOption.stdout)).toEqual({ error: { code: 'usage', message: "unknown option '--verbose'" } });
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout).error.details.map((detail: { field: string }) => detail.field)).toEqual(['slug', 'admin.email']);

    expect(JSON.parse((await cli('tenants', 'suspend', slug, '--json')).stdout)).toEqual({
      tenant: { id: tenant.id, slug, status: 'suspended' },
    });
    expect(JSON.parse((await cli('tenants', 'resume', slug, '--json')).stdout)).toEqual({
      tenant: { id: tenant.id, slug, status: 'active' },
    });

    const holder = await lockMigrationOf(t, tenant.id);
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
  }, 120_000);

  it('marks a dry run as one and changes no database: the migration it lists stays pending', async () => {
    const tenant = await createTenant(t.api, admin, { placement: 'dedicated' });
    const latest = TENANT_MIGRATIONS.at(-1)!.name;
    const database = await connectToDatabaseOf(t, tenant.id);
    try {
      // The tenant database forgets it applied the latest migration: to a run, that migration is pending there.
      const [forgotten] = (await database.query('DELETE FROM tenant_schema_migrations WHERE name = $1 RETURNING *', [latest])).rows;
      try {
        const [human, json] = await Promise.all([
          cli('migrate', '--dry-run', '--tenant', tenant.slug),
          cli('migrate', '--dry-run', '--tenant', tenant.slug, '--json'),
        ]);
        expect(human.code).toBe(0);
        expect(human.stdout).toMatch(/^DRY RUN: /);
        expect(human.stdout).toMatch(new RegExp(`dedicated.*${tenant.slug}.*pending.*${latest}`));
        expect(human.stdout).toMatch(/DRY RUN \(nothing changed\): .* succeeded, 1 databases/);
        expect(JSON.parse(json.stdout)).toMatchObject({
          dryRun: true,
          databases: [{ database: tenant.slug, status: 'pending', migrations: [latest] }],
        });

        expect((await database.query('SELECT 1 FROM tenant_schema_migrations WHERE name = $1', [latest])).rows).toEqual([]);
        expect(await t.sql('SELECT schema_version FROM tenants WHERE id = $1', [tenant.id])).toEqual([{ schema_version: latest }]);
      } finally {
        await database.query('INSERT INTO tenant_schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
          forgotten.id,
          forgotten.timestamp,
          forgotten.name,
        ]);
      }
    } finally {
      await database.end();
    }
  }, 60_000);

  it('runs from the build without rebuilding it on every call, with nothing but the JSON document on stdout, and lists past dry runs as dry runs', async () => {
    // The first call builds dist/ if it is missing or older than the sources (once per checkout).
    const first = await runBuiltCli(t.databaseUrl, ['queue', '--json']);
    expect(first).toMatchObject({ code: 0 });
    const built = (file: string) => statSync(join(__dirname, '..', file)).mtimeMs;
    const before = { stamp: built('dist/.build-stamp'), cli: built('dist/src/cli.js') };

    const second = await runBuiltCli(t.databaseUrl, ['queue', '--json']);
    expect(second.code).toBe(0);
    const queue = JSON.parse(second.stdout);
    expect(queue).toHaveProperty('provisioning.byState');
    expect(queue.fleetMigrations).toContainEqual(expect.objectContaining({ dryRun: true }));
    expect(second.stderr).not.toContain('Building dist/');
    expect({ stamp: built('dist/.build-stamp'), cli: built('dist/src/cli.js') }).toEqual(before);
  }, 300_000);
});
