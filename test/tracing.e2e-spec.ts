import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, get, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { activeByodTenant } from './support/byod-tenants';
import { killHard, listeningUrl, startAppProcess } from './support/app-process';
import { adminToken, tenantAdminSession } from './support/factories';
import { HttpClient } from './support/http-client';
import { registerMailbox } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** A span as an OTLP/JSON export carries it, with its attributes flattened. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  scope: string;
  service: string;
  /** The exporting process (the resource's process.pid). */
  pid: number;
  attributes: Record<string, string | number | boolean | undefined>;
}

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;

const flatten = (attributes: OtlpAttributes = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue]),
  );

/** A real OTLP/HTTP receiver: what a collector is to Tenantry, keeping every span posted to /v1/traces as JSON. */
async function otlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') return response.writeHead(404).end();
      contentTypes.push(String(request.headers['content-type']));
      const exported = JSON.parse(body) as {
        resourceSpans: Array<{
          resource: { attributes: OtlpAttributes };
          scopeSpans: Array<{
            scope: { name: string };
            spans: Array<Omit<ReceivedSpan, 'scope' | 'service' | 'pid' | 'attributes'> & { attributes: OtlpAttributes }>;
          }>;
        }>;
      };
      for (const resourceSpans of exported.resourceSpans) {
        const resource = flatten(resourceSpans.resource.attributes);
        const [service, pid] = [String(resource['service.name']), Number(resource['process.pid'])];
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) {
            spans.push({
              ...span,
              parentSpanId: span.parentSpanId || undefined,
              scope: scopeSpans.scope.name,
              service,
              pid,
              attributes: flatten(span.attributes),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await listen(server);
  return { server, spans, contentTypes, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A customer's REST API serving one inventory item, noting the `traceparent` of every call it gets. */
async function customerRestApi() {
  const traceparents: Array<string | undefined> = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    traceparents.push(request.headers.traceparent as string | undefined);
    const item = { code: 'VH-1', title: 'Roadster', units: 2, price: 24990, state: 'in_stock' };
    const path = new URL(request.url!, 'http://api').pathname;
    const body = path === '/' ? { ok: true } : path === '/vehicles' ? { items: [item] } : path === '/vehicles/VH-1' ? item : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { message: 'not found' }));
  });
  await listen(server);
  return { server, traceparents, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Polls until `find` returns something (spans are exported in batches every few seconds). */
async function eventually<T>(find: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET on a connection of its own, so node:cluster hands each request to the next worker in turn. */
function statusOnNewConnection(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

/**
 * Tenantry as `npm start` runs it, with two workers (a process tree of its own: http and pg are
 * instrumented as they are first loaded, which Jest's module registry would defeat) and
 * OTEL_EXPORTER_OTLP_ENDPOINT set, exporting to a real OTLP/HTTP receiver. The in-process test app
 * only prepares the control plane: it works no queue, so jobs run in the traced workers.
 */
describe('OpenTelemetry traces', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let customer: Awaited<ReturnType<typeof customerRestApi>>;
  let traced: ChildProcess;
  let api: HttpClient;
  let tenant: { id: string };
  let token: string;
  let contactId: string;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    customer = await customerRestApi();
    t = await startTestApp({ env: { QUEUE_WORKER: 'false' } });
    traced = startAppProcess(
      t.databaseUrl,
      {
        WEB_CONCURRENCY: '2',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'tenantry-e2e',
        BYOD_ALLOW_PRIVATE_NETWORKS: 'true',
      },
      { captureOutput: true },
    );
    api = new HttpClient(await listeningUrl(traced, 90_000));
    registerMailbox(api, t.mailbox);
    // Dedicated: its provisioning creates a database role, whose password the traced SQL must not show.
    const session = await tenantAdminSession(api, await adminToken(api), { placement: 'dedicated' });
    ({ tenant, token } = session);
    contactId = (await api.post('/api/contacts', { firstName: 'Hana', lastName: 'Berg' }, { token })).body.id;
  }, 150_000);

  afterAll(async () => {
    if (traced) await killHard(traced);
    await t?.close();
    if (receiver) await close(receiver.server);
    if (customer) await close(customer.server);
  });

  it("continues the caller's trace: a server span in its trace id, named by the route pattern, with the tenant id", async () => {
    const traceId = hex(16);
    const callerSpanId = hex(8);
    const answer = await api.get(`/api/contacts/${contactId}`, { token, headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
    expect(answer.status).toBe(200);

    const span = await eventually(() => receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER), 'server span');
    expect(span).toMatchObject({
      name: 'GET /api/contacts/:id',
      parentSpanId: callerSpanId,
      service: 'tenantry-e2e',
      attributes: { 'tenantry.tenant_id': tenant.id, 'http.route': '/api/contacts/:id', 'http.response.status_code': 200 },
    });
    expect(span.name).not.toContain(contactId);
    expect(receiver.contentTypes.every((type) => type === 'application/json')).toBe(true);
    // The tenant's queries are spans of the same trace, beneath the request.
    const queries = receiver.spans.filter((s) => s.traceId === traceId && s.attributes['db.system.name'] === 'postgresql');
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((query) => query.kind === CLIENT)).toBe(true);
  }, 30_000);

  it('starts a new trace for a request that brings no traceparent', async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    const answer = await api.get('/api/contacts', { token, headers: { 'x-request-id': 'untraced-caller' } });
    expect(answer.status).toBe(200);

    const span = await eventually(
      () => receiver.spans.find((s) => s.kind === SERVER && s.name === 'GET /api/contacts' && !before.has(s.traceId)),
      'server span of GET /api/contacts',
    );
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.attributes['tenantry.tenant_id']).toBe(tenant.id);
  }, 30_000);

  it("carries the trace to a byod tenant's REST API: the customer receives a traceparent of the caller's trace", async () => {
    const admin = await adminToken(api);
    const byod = await activeByodTenant(api, admin, {
      settings: { kind: 'rest', connection: { baseUrl: customer.url, apiKey: 'customer-api-key' } },
      entities: {
        inventory_item: {
          table: 'vehicles',
          fields: { sku: 'code', name: 'title', stock_on_hand: 'units', price_selling_minor: 'price', status: 'state' },
          valueMaps: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired' } },
        },
      },
    });
    const traceId = hex(16);
    customer.traceparents.length = 0;
    const answer = await api.get('/api/inventory/items/VH-1', {
      token: byod.token,
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(answer.status).toBe(200);

    expect(customer.traceparents.length).toBeGreaterThan(0);
    for (const traceparent of customer.traceparents) expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const call = await eventually(
      () => receiver.spans.find((s) => s.traceId === traceId && s.kind === CLIENT && s.scope.includes('http')),
      'client span',
    );
    expect(customer.traceparents).toContain(`00-${traceId}-${call.spanId}-01`);
    const request = await eventually(() => receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER), 'server span');
    expect(request.attributes['tenantry.tenant_id']).toBe(byod.tenant.id);
  }, 60_000);

  it('processes a job in the trace of the request that sent it: provisioning continues POST /control/tenants', async () => {
    const registration = await eventually(
      () => receiver.spans.find((s) => s.kind === SERVER && s.name === 'POST /control/tenants'),
      'server span of POST /control/tenants',
    );
    const job = await eventually(
      () => receiver.spans.find((s) => s.traceId === registration.traceId && s.kind === CONSUMER && s.scope === 'pg-boss'),
      'pg-boss process span in the registration trace',
    );
    expect(job.name).toMatch(/^process /);
  }, 30_000);

  it("traces the provisioning job's SQL without the password literal of the role it creates", async () => {
    const createRole = await eventually(
      () => receiver.spans.find((s) => /^CREATE ROLE/.test(String(s.attributes['db.query.text']))),
      'span of CREATE ROLE',
    );
    expect(createRole.attributes['db.query.text']).toMatch(/ PASSWORD '\[redacted\]'/);
    const literals = receiver.spans.flatMap(
      (s) => String(s.attributes['db.query.text'] ?? '').match(/PASSWORD\s+E?'(?:[^']|'')*'/gi) ?? [],
    );
    expect(new Set(literals)).toEqual(new Set(["PASSWORD '[redacted]'"]));
  }, 30_000);

  it('traces in every worker process: requests handed to each worker are exported by that worker', async () => {
    const workerPids = async () =>
      (await t.sql<{ pid: number }>('SELECT pid FROM app_processes WHERE pid <> $1 ORDER BY pid', [process.pid])).map((row) => row.pid);
    const workers = await eventually(async () => {
      const pids = await workerPids();
      return pids.length === 2 ? pids : undefined;
    }, 'two registered workers');
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await statusOnNewConnection(`${api.baseUrl}/api/tenant`, token));
    expect(statuses).toEqual(Array(6).fill(200));
    const exporters = await eventually(() => {
      const pids = new Set(receiver.spans.filter((s) => s.kind === SERVER && s.name === 'GET /api/tenant').map((s) => s.pid));
      return pids.size === 2 ? pids : undefined;
    }, 'GET /api/tenant spans from both workers');
    expect([...exporters].sort((a, b) => a - b)).toEqual(workers);
    expect(traced.pid).not.toBeUndefined();
    expect(exporters.has(traced.pid!)).toBe(false);
  }, 60_000);

  it('exports the spans still buffered when the workers stop on SIGTERM', async () => {
    const traceId = hex(16);
    expect((await api.get('/api/contacts', { token, headers: { traceparent: `00-${traceId}-${hex(8)}-01` } })).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => traced.once('exit', (code) => resolve(code)));
    traced.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER)?.name).toBe('GET /api/contacts');
  }, 60_000);
});
