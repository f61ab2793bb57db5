import { ModuleMetadata, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { ClsService } from 'nestjs-cls';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { TenantContext, TenantRecord } from '../../libs/tenancy/tenant-context';
import { boundTenantOf } from '../../libs/tenancy/tenant-placement';
import { migrateTenantDatabase } from '../../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../../migrations/tenant';
import { ControlPlaneModule } from '../../src/control-plane/control-plane.module';
import { DatabaseModule } from '../../src/control-plane/database/database.module';
import { SecretsModule } from '../../src/control-plane/secret-rotation/secrets.module';
import { TenancyModule } from '../../src/control-plane/tenant-binding/tenancy.module';
import { TenantSchemaModule } from '../../src/control-plane/tenant-binding/tenant-schema.module';
import { toTenantRecord } from '../../src/control-plane/tenant-binding/tenant-records';
import { CrmDomainEventsModule } from '../../src/crm/domain-events/domain-events.module';
import { TenantAuditModule } from '../../src/crm/tenant-audit/tenant-audit.module';
import { AppConfig, buildAppConfig } from '../../src/platform/config/app-config';
import { validateEnvironment } from '../../src/platform/config/environment';
import { IdempotencyModule } from '../../src/platform/idempotency/idempotency.module';
import { QueueModule } from '../../src/platform/job-queue/queue.module';
import { LoggingModule } from '../../src/platform/logging/logging.module';
import { MailModule } from '../../src/platform/mail/mail.module';
import { MetricsModule } from '../../src/platform/metrics/metrics.module';
import { RateLimitsModule } from '../../src/platform/rate-limits/rate-limits.module';
import { Actor, RequestContext } from '../../src/platform/request-context/request-context';
import { RequestContextModule } from '../../src/platform/request-context/request-context.module';
// The application's module tree, loaded (not started) so that every domain module's declaration is
// registered: a tenant database holds every module's tables, and the catalogs are the app's own.
import '../../src/app.module';
import { copyControlPlaneTemplate, copyTenantTemplate } from './control-plane-template';

type Imports = NonNullable<ModuleMetadata['imports']>;

export interface ServiceTenantOptions {
  /** The control plane's plan for the tenant (default: enterprise, every module in it). */
  plan?: string;
  enabledModules?: string[];
  /** Tenant settings, as the tenant admin saves them (currency, address...). */
  settings?: Record<string, string>;
}

/**
 * One or more domain modules on their real providers, without HTTP: a scratch control-plane
 * database (a copy of the run's migrated one), and one dedicated tenant database at the tenant
 * schema (a copy of the run's tenant template, its tables granted to an app role of its own by the
 * tenant migrator) reached through the real TenantConnectionProvider, as the app's tenant
 * binding would reach it. Services are called inside `asTenant`, which binds the tenant and an
 * actor to the call as a request would.
 */
export interface ServiceTesting {
  module: TestingModule;
  tenantId: string;
  /** The acting user of `asTenant` calls (the tenant's admin). */
  actor: Actor;
  get<T>(type: Type<T>): T;
  asTenant<T>(work: () => Promise<T>): Promise<T>;
  /** A statement on the tenant database as its owner (rows of every tenant, no row-level security). */
  tenantSql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** A statement on the control-plane database. */
  controlPlaneSql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function createServiceTesting(imports: Imports, tenant: ServiceTenantOptions = {}): Promise<ServiceTesting> {
  const template = requiredEnv('TENANTRY_TEST_CONTROL_PLANE_TEMPLATE');
  const controlPlane = await scratchCopy('svc_cp', (adminUrl, name) =>
    copyControlPlaneTemplate(adminUrl, template, name, { tenantTemplate: false }),
  );
  const tenantDatabase = await scratchCopy('svc_tenant', (adminUrl, name) => copyTenantTemplate(adminUrl, template, name));
  const appRole = `svc_app_${randomBytes(4).toString('hex')}`;
  const appPassword = randomBytes(12).toString('hex');
  let module: TestingModule | undefined;
  try {
    const admin = new URL(tenantDatabase.url);
    await sqlOn(tenantDatabase.url, `CREATE ROLE ${escapeIdentifier(appRole)} LOGIN PASSWORD ${escapeLiteral(appPassword)}`);
    const target = { host: admin.hostname, port: Number(admin.port || 5432), database: tenantDatabase.name };
    await migrateTenantDatabase(
      { ...target, user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password), appRole },
      TENANT_MIGRATIONS,
    );

    const config = testConfig(controlPlane.url);
    module = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [() => config],
        }),
        // What a domain module stands on in the app (AppModule), without HTTP, sign-in or health.
        LoggingModule,
        RequestContextModule,
        IdempotencyModule,
        TenantSchemaModule.forRoot(TENANT_MIGRATIONS),
        DatabaseModule,
        MetricsModule,
        RateLimitsModule,
        QueueModule,
        SecretsModule,
        MailModule,
        ControlPlaneModule,
        TenancyModule,
        // Global in the app: every domain module records its changes through it.
        TenantAuditModule,
        CrmDomainEventsModule,
        ...imports,
      ],
    }).compile();
    // Runs the control-plane migrations (ControlPlaneMigrator) and every other start-up hook.
    await module.init();

    const tenantId = randomUUID();
    const slug = `svc${randomBytes(4).toString('hex')}`;
    const enabledModules = tenant.enabledModules ?? [];
    await sqlOn(
      controlPlane.url,
      `INSERT INTO tenants (id, slug, name, status, plan, placement, enabled_modules, settings)
       VALUES ($1, $2, $2, 'active', $3, 'dedicated', $4, $5)`,
      [tenantId, slug, tenant.plan ?? 'enterprise', enabledModules, tenant.settings ?? {}],
    );
    const record: TenantRecord = toTenantRecord(
      {
        id: tenantId,
        slug,
        status: 'active',
        placement: 'dedicated',
        writesFrozen: false,
        enabledModules,
        schemaVersion: TENANT_MIGRATIONS.at(-1)!.name,
        dataSourceKey: `tenant:${tenantId}`,
        databaseServerId: null,
        behindTransactionPooler: false,
        connection: () => ({ ...target, user: appRole, password: appPassword }),
      },
      config.tenancy,
    );
    const actor: Actor = { userId: randomUUID(), tenantId, roles: ['tenant_admin'] };
    const ready = module;
    const cls = ready.get(ClsService);
    const tenantContext = ready.get(TenantContext);
    const requestContext = ready.get(RequestContext);
    return {
      module: ready,
      tenantId,
      actor,
      get: (type) => ready.get(type),
      asTenant: (work) =>
        cls.run(() => {
          tenantContext.set(boundTenantOf(record));
          requestContext.setActor(actor);
          cls.set('tenantId', tenantId);
          return work();
        }),
      tenantSql: (text, params) => sqlOn(tenantDatabase.url, text, params),
      controlPlaneSql: (text, params) => sqlOn(controlPlane.url, text, params),
      close: async () => {
        await ready.close();
        await dropAll(controlPlane, tenantDatabase, appRole);
      },
    };
  } catch (error) {
    await module?.close().catch(() => undefined);
    await dropAll(controlPlane, tenantDatabase, appRole).catch(() => undefined);
    throw error;
  }
}

function testConfig(databaseUrl: string): AppConfig {
  // No job workers: a service test sees what the call itself does.
  const vars = validateEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '3',
    QUEUE_WORKER: 'false',
  });
  return buildAppConfig(vars, databaseUrl, {
    jwtSecret: randomBytes(32).toString('base64url'),
    secretsKeys: `service:${randomBytes(32).toString('base64')}`,
  });
}

async function sqlOn<Row>(url: string, text: string, params?: unknown[]): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

interface ScratchDatabase {
  name: string;
  url: string;
}

/** A database named `<prefix>_<random>` on the test server, made by `copy` (from one of the run's templates). */
async function scratchCopy(prefix: string, copy: (adminUrl: string, name: string) => Promise<void>): Promise<ScratchDatabase> {
  const adminUrl = requiredEnv('TENANTRY_TEST_ADMIN_URL');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await copy(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through jest.config.js (globalSetup)`);
  return value;
}

async function dropAll(controlPlane: ScratchDatabase, tenantDatabase: ScratchDatabase, appRole: string): Promise<void> {
  const adminUrl = requiredEnv('TENANTRY_TEST_ADMIN_URL');
  for (const database of [tenantDatabase, controlPlane])
    await sqlOn(adminUrl, `DROP DATABASE IF EXISTS ${escapeIdentifier(database.name)} WITH (FORCE)`);
  await sqlOn(adminUrl, `DROP ROLE IF EXISTS ${escapeIdentifier(appRole)}`);
}
