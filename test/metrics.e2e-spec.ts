import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppMetrics } from '../src/platform/metrics/app-metrics';
import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** GET /metrics in the Prometheus format, for the platform's scraper only; its labels never name a tenant or a record. */
describe('Prometheus metrics', () => {
  let t: TestApp;
  let withToken: TestApp;
  const METRICS_TOKEN = 'scrape-token-0123456789';

  beforeAll(async () => {
    t = await startTestApp();
    withToken = await startTestApp({ databaseUrl: t.databaseUrl, env: { METRICS_TOKEN } });
  });

  afterAll(async () => {
    await withToken?.stop();
    await t?.close();
  });

  async function scrape(app: TestApp, token?: string) {
    const response = await fetch(`${app.api.baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }

  it('answers a loopback scraper without a token: HTTP by route pattern, tenant pools, queues, the event loop and memory', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, await adminToken(t.api));
    const missing = randomUUID();
    expect((await t.api.get(`/api/contacts/${missing}`, { token })).status).toBe(404);
    expect((await t.api.get('/api/contacts', { token })).status).toBe(200);

    const { status, type, text } = await scrape(t);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toMatch(/tenantry_http_request_duration_seconds_count\{method="GET",route="\/api\/contacts\/:id",status="404"\} 1/);
    expect(text).toMatch(/tenantry_http_request_duration_seconds_count\{method="GET",route="\/api\/contacts",status="200"\} 1/);
    expect(text).toMatch(/tenantry_tenant_pools\{state="live"\} [1-9]/);
    expect(text).toMatch(/tenantry_tenant_pool_connections\{kind="budget"\} \d+/);
    expect(text).toMatch(/tenantry_job_queue_jobs\{queue="[a-z-]*provision[a-z-]*",state="completed"\} [1-9]/);
    expect(text).toMatch(/tenantry_job_attempt_duration_seconds_count\{queue="[a-z-]*provision[a-z-]*",outcome="completed"\} [1-9]/);
    expect(text).toMatch(/tenantry_byod_sources\{state="breaker_open"\} 0/);
    expect(text).toContain('tenantry_nodejs_eventloop_lag_seconds');
    expect(text).toContain('tenantry_process_resident_memory_bytes');
    // Bounded labels: neither the tenant nor the record asked for is in any of them.
    expect(text).not.toContain(missing);
    expect(text).not.toContain(tenant.id);
    expect(text).not.toContain(tenant.slug);
  });

  it('serves every metric the Grafana dashboard in docs/grafana queries', async () => {
    const dashboard = readFileSync(join(__dirname, '..', 'docs', 'grafana', 'tenantry-dashboard.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/tenantry_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, '')));
    const { text } = await scrape(t);
    const served = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map(([, name]) => name));
    expect([...queried].filter((name) => !served.has(name))).toEqual([]);
  });

  it("with METRICS=false, observes no request, collects none of Node's figures and answers /metrics 404 even on loopback", async () => {
    const off = await startTestApp({ databaseUrl: t.databaseUrl, env: { METRICS: 'false' } });
    try {
      const { token } = await tenantAdminSession(off.api, await adminToken(off.api));
      expect((await off.api.get('/api/contacts', { token })).status).toBe(200);
      expect((await scrape(off)).status).toBe(404);
      const registry = off.app.get(AppMetrics).registry;
      expect((await registry.getSingleMetric('tenantry_http_request_duration_seconds')!.get()).values).toEqual([]);
      expect(registry.getSingleMetric('tenantry_nodejs_eventloop_lag_seconds')).toBeUndefined();
    } finally {
      await off.stop();
    }
  });

  it('with METRICS_TOKEN set, answers only a scraper that sends it', async () => {
    expect((await scrape(withToken)).status).toBe(401);
    expect((await scrape(withToken, 'not-the-token-at-all-0000')).status).toBe(401);
    const scraped = await scrape(withToken, METRICS_TOKEN);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('tenantry_http_request_duration_seconds');
  });
});
