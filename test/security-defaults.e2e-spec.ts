import { adminToken } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** What a security review expects of every answer: security headers, CORS only for configured origins, docs behind a flag. */
describe('security defaults', () => {
  describe('with a configured browser origin and the docs turned off', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ env: { CORS_ORIGINS: 'https://console.example.com', SWAGGER_UI: 'false' } });
    });
    afterAll(() => t.close());

    it('allows a preflight from the configured origin, with the headers clients send', async () => {
      const preflight = await t.api.request('OPTIONS', '/api/notes', undefined, {
        headers: {
          origin: 'https://console.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,idempotency-key',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    });

    it('gives another origin no CORS permission', async () => {
      const answer = await t.api.get('/health', { headers: { origin: 'https://evil.example.net' } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends security headers with every answer, errors included', async () => {
      for (const answer of [await t.api.get('/health'), await t.api.get('/api/notes')]) {
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=/);
        expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      }
    });

    it('serves neither Swagger UI nor the OpenAPI document when SWAGGER_UI=false', async () => {
      expect((await t.api.get('/docs')).status).toBe(404);
      expect((await t.api.get('/docs-json')).status).toBe(404);
      expect((await t.api.post('/auth/login', { email: 'admin@tenantry.test', password: 'admin-password-for-tests' })).status).toBe(200);
    });
  });

  describe('by default outside production', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ openApiDocs: true });
    });
    afterAll(() => t.close());

    it('answers no browser origin with CORS permission, and serves the docs', async () => {
      const answer = await t.api.get('/health', { headers: { origin: 'https://console.example.com' } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect((await t.api.get('/docs-json')).status).toBe(200);
      const ui = await t.api.get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-security-policy')).toMatch(/script-src 'self' 'unsafe-inline'/);
      expect((await t.api.get('/control/tenants', { token: await adminToken(t.api) })).status).toBe(200);
    });
  });
});
