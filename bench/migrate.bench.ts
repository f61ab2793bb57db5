import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { MigrationClass } from '../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { createApp } from '../src/app.factory';
import { buildAppConfig } from '../src/platform/config/app-config';
import { validateEnvironment } from '../src/platform/config/environment';
import { DatabaseServersService } from '../src/control-plane/database-servers/database-servers.service';
import { FleetMigrationService } from '../src/control-plane/fleet-migrations/fleet-migration.service';
import { templateName } from '../src/control-plane/placement/tenant-database.factory';
import { TenantCreation } from '../src/control-plane/tenants/tenant-creation.service';
import { BenchPostgres, query } from './common/bench-postgres';
import { parseArgs } from './common/load';

/**
 * Fleet migration speed: N dedicated tenant databases, one additive migration (a column and an
 * index) per pass, migrated by the same FleetMigrationService as `npm run cli -- migrate` at
 * concurrency 1, 4 and 8 (each pass brings a new migration, so every pass has work to do).
 * Run: npm run bench:migrate [-- --quick]   (full: 500 tenants; target: 500 in under 60 s)
 */
const CONCURRENCIES = [1, 4, 8];

/** A release's additive migration: one column and its index. */
function additiveMigration(pass: number): MigrationClass {
  const name = `BenchColumn${1799100000000 + pass}`;
  return class implements MigrationInterface {
    name = name;
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`ALTER TABLE notes ADD COLUMN bench_${pass} integer NOT NULL DEFAULT 0`);
      await queryRunner.query(`CREATE INDEX notes_bench_${pass}_idx ON notes (tenant_id, bench_${pass})`);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`ALTER TABLE notes DROP COLUMN bench_${pass}`);
    }
  };
}

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const tenantCount = quick ? 40 : 500;
  const postgres = await BenchPostgres.start();
  const secrets = { jwtSecret: randomBytes(32).toString('base64url'), secretsKeys: `bench:${randomBytes(32).toString('base64')}` };
  const vars = validateEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PROVISIONING_CONCURRENCY: '4',
    TENANT_CONNECTION_BUDGET: '60',
  });
  const config = buildAppConfig(vars, postgres.controlPlaneUrl, secrets);
  const migrations: MigrationClass[] = [...TENANT_MIGRATIONS];
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config, [], migrations);
    const provisioningStarted = Date.now();
    await createDedicatedTenants(app, postgres, tenantCount);
    const provisioningSeconds = (Date.now() - provisioningStarted) / 1000;
    console.log(`provisioned ${tenantCount} dedicated tenants in ${provisioningSeconds.toFixed(1)} s (PROVISIONING_CONCURRENCY=4)`);
    await app.close();
    app = undefined;

    const passes: Array<{ concurrency: number; seconds: number; tenantsPerSecond: number; migrated: number; failed: number }> = [];
    for (const [index, concurrency] of CONCURRENCIES.entries()) {
      migrations.push(additiveMigration(index + 1));
      app = await createApp({ ...config, queue: { ...config.queue, worker: false } }, [], migrations);
      const fleet = app.get(FleetMigrationService);
      const run = await fleet.createRun({ concurrency }, null);
      const started = Date.now();
      await fleet.execute(run.id);
      const seconds = (Date.now() - started) / 1000;
      const { targets } = await fleet.get(run.id);
      const tenants = targets.filter((target) => target.kind === 'dedicated');
      const migrated = tenants.filter((target) => target.status === 'migrated').length;
      const failed = targets.filter((target) => target.status === 'failed').length;
      passes.push({ concurrency, seconds: round(seconds), tenantsPerSecond: round(tenantCount / seconds), migrated, failed });
      console.log(
        `concurrency ${concurrency}: ${tenantCount} tenants in ${seconds.toFixed(1)} s (${(tenantCount / seconds).toFixed(1)} tenants/s), migrated ${migrated}, failed ${failed}`,
      );
      await app.close();
      app = undefined;
    }
    const failedDatabases = passes.reduce((sum, pass) => sum + pass.failed + (tenantCount - pass.migrated), 0);
    const fastest = passes.reduce((best, pass) => (pass.seconds < best.seconds ? pass : best));
    console.log(`fastest: concurrency ${fastest.concurrency}, ${fastest.seconds} s for ${tenantCount} tenants (target for 500: < 60 s)`);
    console.log(
      JSON.stringify({
        bench: 'migrate',
        quick,
        tenants: tenantCount,
        provisioningSeconds: round(provisioningSeconds),
        passes,
        speedup8vs1: round(passes[0].seconds / passes[2].seconds),
        failedDatabases,
      }),
    );
    process.exitCode = failedDatabases > 0 ? 1 : 0;
  } finally {
    await app?.close();
    for (const migration of migrations.slice(TENANT_MIGRATIONS.length)) {
      await query(postgres.adminUrl, `DROP DATABASE IF EXISTS ${templateName(new migration().name!)}`).catch(() => undefined);
    }
    await postgres.dispose();
  }
}

/** Registers the server and the tenants through the service and waits for the queue to provision them all. */
async function createDedicatedTenants(app: NestFastifyApplication, postgres: BenchPostgres, count: number): Promise<void> {
  await registerServer(app, new URL(postgres.adminUrl), count);
  const tenants = app.get(TenantCreation);
  for (let i = 0; i < count; i += 1) {
    const slug = `m${randomBytes(6).toString('hex')}`;
    await tenants.create({ slug, name: slug, plan: 'enterprise', placement: 'dedicated', admin: { email: `${slug}@bench.test` } });
  }
  for (;;) {
    const [{ waiting, failed }] = await query(
      postgres.controlPlaneUrl,
      `SELECT count(*) FILTER (WHERE status = 'provisioning')::int AS waiting, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM tenants`,
    );
    if (failed > 0) throw new Error(`${failed} tenants failed to provision`);
    if (waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function registerServer(app: NestFastifyApplication, url: URL, count: number): Promise<void> {
  await app.get(DatabaseServersService).create({
    name: `bench-${randomBytes(3).toString('hex')}`,
    host: url.hostname,
    port: Number(url.port || 5432),
    adminUser: decodeURIComponent(url.username),
    adminPassword: decodeURIComponent(url.password),
    maxDatabases: count + 10,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
