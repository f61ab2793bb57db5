import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

describe('start-up', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ emptyDatabase: true, openApiDocs: true });
  });

  afterAll(() => t.close());

  it('answers liveness and readiness without a token', async () => {
    expect((await t.api.get('/health')).status).toBe(200);
    const ready = await t.api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.controlPlaneDatabase.status).toBe('up');
  });

  it('applies the control-plane migrations and creates the platform admin from ADMIN_EMAIL/ADMIN_PASSWORD', async () => {
    const migrations = await t.sql('SELECT name FROM control_plane_migrations');
    expect(migrations.length).toBeGreaterThan(0);
    const [admin] = await t.sql('SELECT email, platform_role, password_hash FROM users WHERE email = $1', [TEST_ADMIN.email]);
    expect(admin.platform_role).toBe('platform_admin');
    expect(admin.password_hash).toMatch(/^\$argon2id\$/);
    expect((await t.api.post('/auth/login', TEST_ADMIN)).status).toBe(200);
  });

  it('restarts on the same database without re-running migrations or duplicating the admin', async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl });
    try {
      const admins = await second.sql("SELECT count(*)::int AS n FROM users WHERE platform_role = 'platform_admin'");
      expect(admins[0].n).toBe(1);
      expect((await second.api.get('/health/ready')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('echoes a safe caller request id and replaces an unsafe one', async () => {
    const kept = await t.api.get('/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await t.api.get('/health', { headers: { 'x-request-id': 'not a safe id; drop table users' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves OpenAPI at /docs-json and Swagger UI at /docs', async () => {
    const spec = await t.api.get('/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect((await t.api.get('/docs')).status).toBe(200);
  });

  it('documents every route with a summary and its error responses', async () => {
    const spec = (await t.api.get('/docs-json')).body as { paths: Record<string, Record<string, any>> };
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const codes = Object.keys(operation.responses ?? {});
        const protectedRoute = (operation.security ?? []).length > 0;
        const errors = codes.filter((code) => Number(code) >= 400);
        if (!operation.summary) undocumented.push(`${method} ${path}: no summary`);
        if (protectedRoute && !(codes.includes('401') && codes.includes('403'))) undocumented.push(`${method} ${path}: no 401/403`);
        if (method !== 'get' && errors.length === 0 && path !== '/auth/logout') undocumented.push(`${method} ${path}: no error response`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/auth/login', '/control/tenants', '/control/users', '/control/audit', '/health/ready']),
    );
  });

  it('answers an unknown route with the standard error shape', async () => {
    const response = await t.api.get('/no/such/route');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no/such/route' });
  });
});
