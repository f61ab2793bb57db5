import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { adminToken, tenantAdminSession, unique } from './support/factories';
import { HttpResponse } from './support/http-client';
import { startTestApp, TEST_ADMIN, TEST_JWT_SECRET, TEST_SECRETS_KEYS, TestApp } from './support/test-app';

/**
 * Tenant database backends terminated under load (pg_terminate_backend, as a failover or an
 * operator would), and a tenant table locked as a migration locks it: requests end in an answer
 * a client can act on, never a 500.
 */
describe('tenant connections lost under load', () => {
  const LOCK_TIMEOUT_MS = 300;
  let t: TestApp;
  let admin: string;
  let server: Client;
  const tenants: Array<{ placement: string; token: string; database: string }> = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: { TENANT_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) },
      openApiDocs: true,
    });
    admin = await adminToken(t.api);
    for (const placement of ['pooled', 'dedicated']) {
      const { tenant, token } = await tenantAdminSession(t.api, admin, {
        placement,
      });
      const [row] = await t.sql(
        'SELECT coalesce(t.database_name, p.database_name) AS database FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1',
        [tenant.id],
      );
      tenants.push({ placement, token, database: row.database });
    }
    server = new Client({
      connectionString: process.env.TENANTRY_TEST_ADMIN_URL,
    });
    await server.connect();
  });

  afterAll(async () => {
    await server?.end();
    await t?.close();
  });

  const sqlOn = async <T>(database: string, action: (client: Client) => Promise<T>): Promise<T> => {
    const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
    url.pathname = `/${database}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await action(client);
    } finally {
      await client.end();
    }
  };

  it('answers reads and writes with 200/201 or 503 + Retry-After while the tenant backends are terminated, and stores each 201 exactly once', async () => {
    const answers: Array<{
      kind: 'read' | 'write';
      placement: string;
      title?: string;
      response: HttpResponse;
    }> = [];
    let loading = true;
    const worker = async (tenant: (typeof tenants)[number]) => {
      while (loading) {
        const title = unique('chaos');
        answers.push({
          kind: 'write',
          placement: tenant.placement,
          title,
          response: await t.api.post('/api/notes', { title }, { token: tenant.token }),
        });
        answers.push({
          kind: 'read',
          placement: tenant.placement,
          response: await t.api.get('/api/notes?limit=5', {
            token: tenant.token,
          }),
        });
      }
    };
    const workers = tenants.flatMap((tenant) => Array.from({ length: 6 }, () => worker(tenant)));
    let terminated = 0;
    try {
      for (let round = 0; round < 5; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const { rowCount } = await server.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
          [tenants.map((tenant) => tenant.database)],
        );
        terminated += rowCount ?? 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    } finally {
      loading = false;
      await Promise.all(workers);
    }

    expect(terminated).toBeGreaterThan(0);
    const unexpected = answers.filter(({ kind, response }) => {
      if (response.status === 503) return response.headers.get('retry-after') === null;
      return response.status !== (kind === 'write' ? 201 : 200);
    });
    expect(
      unexpected.map(({ kind, placement, response }) => ({
        kind,
        placement,
        status: response.status,
        body: response.body,
      })),
    ).toEqual([]);

    for (const tenant of tenants) {
      const writes = answers.filter((answer) => answer.kind === 'write' && answer.placement === tenant.placement);
      const stored = await sqlOn(tenant.database, async (client) => {
        const { rows } = await client.query<{ title: string; copies: number }>(
          'SELECT title, count(*)::int AS copies FROM notes WHERE title = ANY($1) GROUP BY title',
          [writes.map((write) => write.title)],
        );
        return new Map(rows.map((row) => [row.title, row.copies]));
      });
      for (const write of writes) {
        if (write.response.status === 201)
          expect({
            title: write.title,
            copies: stored.get(write.title!),
          }).toEqual({ title: write.title, copies: 1 });
        // Only a write whose outcome could not be learnt may have been applied, and then once.
        else if (/check before repeating/.test(write.response.body.message)) expect(stored.get(write.title!) ?? 0).toBeLessThanOrEqual(1);
        else
          expect({
            title: write.title,
            copies: stored.get(write.title!) ?? 0,
          }).toEqual({ title: write.title, copies: 0 });
      }
    }
  });

  it('documents the 503 with Retry-After on every tenant-data route', async () => {
    const document = (await t.api.get('/docs-json')).body;
    for (const [method, operation] of Object.entries(document.paths['/api/notes'] as Record<string, { responses: Record<string, any> }>)) {
      expect({ method, retryAfter: operation.responses['503']?.headers?.['Retry-After'] !== undefined }).toEqual({
        method,
        retryAfter: true,
      });
    }
  });

  it.each(['pooled', 'dedicated'])(
    'answers a %s tenant whose table a migration holds locked with 503 + Retry-After within the lock timeout',
    async (placement) => {
      const tenant = tenants.find((candidate) => candidate.placement === placement)!;
      expect((await t.api.get('/api/notes', { token: tenant.token })).status).toBe(200);
      await sqlOn(tenant.database, async (migration) => {
        await migration.query('BEGIN');
        await migration.query('LOCK TABLE notes IN ACCESS EXCLUSIVE MODE');
        try {
          const started = Date.now();
          const response = await Promise.race([
            t.api.get('/api/notes', { token: tenant.token }),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the request waited for the whole lock')), 5_000)),
          ]);
          expect({
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
          }).toEqual({ status: 503, retryAfter: '1' });
          expect(response.body.message).toMatch(/locked/);
          expect(Date.now() - started).toBeLessThan(LOCK_TIMEOUT_MS + 2_000);
        } finally {
          await migration.query('ROLLBACK');
        }
      });
      expect((await t.api.get('/api/notes', { token: tenant.token })).status).toBe(200);
    },
  );
});

describe('connection limits at start', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t?.close());

  it('refuses to start a process whose configured connections, times APP_PROCESSES, exceed the server max_connections, and says why', async () => {
    const child = spawn(process.execPath, ['-r', join(__dirname, 'support/ts-register.js'), join(__dirname, '../src/main.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: t.databaseUrl,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ADMIN_EMAIL: TEST_ADMIN.email,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        JWT_SECRET: TEST_JWT_SECRET,
        SECRETS_KEYS: TEST_SECRETS_KEYS,
        APP_PROCESSES: '500',
        CONNECTION_LIMIT_CHECK: 'refuse',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the process started instead of refusing'))), 45_000);
      child.once('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /500 process\(es\) × \d+ connections \(control-plane pool 10 \+ job workers pool \d+ \+ queue pool 4 \+ change feed listener 1 \+ tenant connection budget 60\)/,
    );
    expect(stderr).toMatch(/max_connections \(\d+\)/);
  });
});
