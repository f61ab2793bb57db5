import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { MigrationClass } from '../../libs/tenancy/tenant-schema-migrator';
import { buildAppConfig } from '../../src/platform/config/app-config';
import { validateEnvironment } from '../../src/platform/config/environment';
import { copyControlPlaneTemplate } from './control-plane-template';
import { HttpClient } from './http-client';
import { Mailbox, registerMailbox, testMailbox } from './mailbox';

export const TEST_ADMIN = { email: 'admin@tenantry.test', password: 'admin-password-for-tests' };
export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const TEST_SECRETS_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface TestApp {
  app: NestFastifyApplication;
  api: HttpClient;
  /** The real SMTP server the app mails to (invitations, reset links). */
  mailbox: Mailbox;
  /** The test PostgreSQL server, registered for dedicated tenant databases. */
  databaseServerId: string;
  /** A pooled tenant database on it, so pooled tenants can be created. */
  tenantPoolId: string;
  databaseUrl: string;
  jwtSecret: string;
  /** A direct connection to the control-plane database, for asserting what the API stored. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops the app; keeps the database so a second app can start on it. */
  stop(): Promise<void>;
  /** Stops the app and drops its database. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse the database of an earlier app (e.g. to test a restart). */
  databaseUrl?: string;
  /** Run as a release with these tenant migrations would (default: migrations/tenant). */
  tenantMigrations?: MigrationClass[];
  /** SECRETS_KEYS of this app (default: TEST_SECRETS_KEYS), e.g. to rotate keys. */
  secretsKeys?: string;
  /** Start on an empty database, the app applying every control-plane migration (default: a copy of the migrated template). */
  emptyDatabase?: boolean;
  /**
   * Serve /docs and /docs-json as the app does by default outside production (default: not served, as in
   * production). Building the OpenAPI document is about half a second of CPU per app start, and only the
   * tests that read the document need it.
   */
  openApiDocs?: boolean;
}

function adminUrl(): string {
  const url = process.env.TENANTRY_TEST_ADMIN_URL;
  if (!url) throw new Error('TENANTRY_TEST_ADMIN_URL is not set: run the tests through jest (see test/support/global-setup.ts)');
  return url;
}

function databaseUrlFor(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** Starts Tenantry on a fresh control-plane database of its own, listening on a random port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  let databaseUrl = options.databaseUrl;
  let databaseName: string | undefined;
  if (!databaseUrl) {
    databaseName = `tenantry_e2e_${randomBytes(6).toString('hex')}`;
    const template = process.env.TENANTRY_TEST_CONTROL_PLANE_TEMPLATE;
    if (template && !options.emptyDatabase) await copyControlPlaneTemplate(adminUrl(), template, databaseName);
    else await onServer((client) => client.query(`CREATE DATABASE ${databaseName}`));
    databaseUrl = databaseUrlFor(databaseName);
  }
  const jwtSecret = TEST_JWT_SECRET;
  const mailbox = await testMailbox();
  const vars = validateEnvironment({
    SMTP_URL: mailbox.url,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    DATABASE_POOL_SIZE: '5',
    ...(options.openApiDocs ? {} : { SWAGGER_UI: 'false' }),
    ...options.env,
  });
  const config = buildAppConfig(vars, databaseUrl, {
    jwtSecret,
    secretsKeys: options.secretsKeys ?? TEST_SECRETS_KEYS,
  });
  const app = await createApp(config, [], options.tenantMigrations);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const api = new HttpClient(await app.getUrl());
  registerMailbox(api, mailbox);

  const sqlClient = new Client({ connectionString: databaseUrl });
  await sqlClient.connect();
  const sql = async (text: string, params?: unknown[]) => (await sqlClient.query(text, params)).rows;
  const { databaseServerId, tenantPoolId } = await registerTenantInfrastructure(api, sql);
  // Tests that loop over many requests must not meet the plans' rate limits; test/rate-limits.e2e-spec.ts
  // sets the limits it tests per tenant (an override wins over the plan).
  await sql('UPDATE plans SET tenant_requests_per_minute = 1000000, principal_requests_per_minute = 1000000');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await sqlClient.end();
  };
  return {
    app,
    api,
    mailbox,
    databaseServerId,
    tenantPoolId,
    databaseUrl,
    jwtSecret,
    sql,
    stop,
    close: async () => {
      const leftovers = await sql(
        `SELECT database_name AS database, database_role AS role FROM tenants WHERE database_name IS NOT NULL
         UNION ALL SELECT database_name, app_role FROM tenant_pools`,
      );
      await stop();
      const name = databaseName ?? new URL(databaseUrl).pathname.slice(1);
      await onServer(async (client) => {
        for (const { database, role } of leftovers) {
          await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          await client.query(`DROP ROLE IF EXISTS ${role}`);
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/** Registers the test server for dedicated databases and creates one pooled database on it (once per control plane). */
async function registerTenantInfrastructure(api: HttpClient, sql: (text: string) => Promise<any[]>) {
  const [existingPool] = await sql('SELECT id, database_server_id FROM tenant_pools ORDER BY created_at LIMIT 1');
  if (existingPool) return { databaseServerId: existingPool.database_server_id as string, tenantPoolId: existingPool.id as string };
  const token = (await api.post('/auth/login', TEST_ADMIN)).body.accessToken;
  const server = new URL(adminUrl());
  const registered = await api.post(
    '/control/database-servers',
    {
      name: `test-${randomBytes(4).toString('hex')}`,
      host: server.hostname,
      port: Number(server.port || 5432),
      adminUser: decodeURIComponent(server.username),
      adminPassword: decodeURIComponent(server.password),
      maxDatabases: 1000,
    },
    { token },
  );
  if (registered.status !== 201) throw new Error(`registering the test database server failed: ${JSON.stringify(registered.body)}`);
  const pool = await api.post(
    '/control/tenant-pools',
    { name: `p${randomBytes(5).toString('hex')}`, databaseServerId: registered.body.id, maxTenants: 10_000 },
    { token },
  );
  if (pool.status !== 201) throw new Error(`creating the test tenant pool failed: ${JSON.stringify(pool.body)}`);
  return { databaseServerId: registered.body.id as string, tenantPoolId: pool.body.id as string };
}
