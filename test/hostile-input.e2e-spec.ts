import { connect } from 'node:net';
import { adminToken, createTenant, createUser, addMember, loginAs, tenantAdminSession } from './support/factories';
import { HttpResponse } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; allOf?: Schema[]; items?: Schema; oneOf?: Schema[] };
/** What a body field takes, by its schema. */
type FieldKind = 'string' | 'number' | 'boolean' | 'array' | 'object';
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string }>;
  bodySchema?: Schema;
}

const NUL_TEXT = 'a\u0000b';
const DEEP_JSON = '['.repeat(3_000) + ']'.repeat(3_000);
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/**
 * U+0000 and absurdly nested JSON on every route of the OpenAPI document at once: a clear 4xx,
 * never a 5xx, and nothing changed (the refusal comes before any guard or handler).
 */
describe('hostile input', () => {
  let t: TestApp;
  let admin: string;
  let tenantToken: string;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp({ openApiDocs: true });
    admin = await adminToken(t.api);
    tenantToken = (await tenantAdminSession(t.api, admin, { plan: 'professional' })).token;
    operations = operationsOf((await t.api.get('/docs-json')).body);
  });

  afterAll(() => t.close());

  const tokenFor = (path: string) => (path.startsWith('/control') ? admin : path.startsWith('/api') ? tenantToken : undefined);
  const snapshot = async () =>
    (
      await t.sql(
        'SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL) AS revoked',
      )
    )[0];

  /** Sends every request, eight at a time, and returns the answers with what was sent. */
  async function sweep(requests: Array<{ label: string; send: () => Promise<HttpResponse> }>) {
    const answers: Array<{ label: string; response: HttpResponse }> = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        answers.push({ label: request.label, response: await request.send() });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return answers;
  }

  function expectNoServerErrors(answers: Array<{ label: string; response: HttpResponse }>) {
    const offenders = answers
      .filter(({ response }) => response.status >= 500)
      .map(({ label, response }) => `${label} → ${response.status}`);
    expect(offenders).toEqual([]);
  }

  function expectRefused(answers: Array<{ label: string; response: HttpResponse }>, statuses: number[], field: (label: string) => RegExp) {
    const wrong = answers
      .filter(({ label, response }) => !statuses.includes(response.status) || !field(label).test(response.body?.details?.[0]?.field ?? ''))
      .map(({ label, response }) => `${label} → ${response.status} ${JSON.stringify(response.body)}`);
    expect(wrong).toEqual([]);
  }

  it('reads a route list that covers the control plane, auth and tenant data, each route documenting its 400', async () => {
    const prefixes = new Set(operations.map((operation) => operation.path.split('/')[1]));
    expect([...prefixes]).toEqual(expect.arrayContaining(['control', 'auth', 'api']));
    expect(operations.length).toBeGreaterThan(50);
    const document = (await t.api.get('/docs-json')).body;
    const undocumented = Object.entries(document.paths).flatMap(([path, methods]: [string, any]) =>
      Object.entries(methods)
        .filter(([, operation]: [string, any]) => !operation.responses['400'])
        .map(([method]) => `${method} ${path}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('answers NUL in a path parameter of every route with 400 naming the parameter', async () => {
    const before = await snapshot();
    const withParams = operations.filter((operation) => operation.parameters.some((parameter) => parameter.in === 'path'));
    expect(withParams.length).toBeGreaterThan(20);
    const answers = await sweep(
      withParams.map((operation) => {
        const path = fill(operation.path, (name, index) => (index === 0 ? encodeURIComponent(NUL_TEXT) : SOME_ID));
        return {
          label: `${operation.method} ${operation.path} (path)`,
          send: () => t.api.request(operation.method, path, bodyOf(operation), { token: tokenFor(path) }),
        };
      }),
    );
    expectNoServerErrors(answers);
    expectRefused(answers, [400], () => /^path(\.|$)/);
    expect(await snapshot()).toEqual(before);
  });

  it('answers NUL in a query parameter of every route with 400 naming the parameter', async () => {
    const before = await snapshot();
    const answers = await sweep(
      operations.map((operation) => {
        const name = operation.parameters.find((parameter) => parameter.in === 'query')?.name ?? 'search';
        const path = `${fill(operation.path, () => SOME_ID)}?${name}=${encodeURIComponent(NUL_TEXT)}`;
        return {
          label: `${operation.method} ${operation.path} (query ${name})`,
          send: () => t.api.request(operation.method, path, bodyOf(operation), { token: tokenFor(path) }),
        };
      }),
    );
    expectNoServerErrors(answers);
    expectRefused(answers, [400], (label) => new RegExp(`^query\\.${label.match(/\(query (.+)\)$/)![1]}$`));
    expect(await snapshot()).toEqual(before);
  });

  it('answers NUL in every string field of every JSON body with 400 naming the field', async () => {
    const before = await snapshot();
    const requests = operations
      .filter((operation) => operation.method !== 'GET')
      .flatMap((operation) => {
        const path = fill(operation.path, () => SOME_ID);
        const fields = stringFieldsOf(operation.bodySchema);
        return (fields.length > 0 ? fields : ['name']).map((field) => ({
          label: `${operation.method} ${operation.path} (body ${field})`,
          send: () => t.api.request(operation.method, path, { ...bodyOf(operation), [field]: NUL_TEXT }, { token: tokenFor(path) }),
        }));
      });
    expect(requests.length).toBeGreaterThan(100);
    const answers = await sweep(requests);
    expectNoServerErrors(answers);
    expectRefused(answers, [400], (label) => new RegExp(`^body\\.${label.match(/\(body (.+)\)$/)![1]}$`));
    expect(await snapshot()).toEqual(before);
  });

  it('answers a JSON body nested 3,000 deep on every route that takes a body with 400, and never a 5xx on any', async () => {
    const before = await snapshot();
    const answers = await sweep(
      operations
        .filter((operation) => operation.method !== 'GET')
        .map((operation) => {
          const path = fill(operation.path, () => SOME_ID);
          return {
            label: `${operation.method} ${operation.path} (deep)`,
            send: () => t.api.request(operation.method, path, undefined, { token: tokenFor(path), rawBody: DEEP_JSON }),
          };
        }),
    );
    expectNoServerErrors(answers);
    const withBody = new Set(
      operations.filter((operation) => operation.bodySchema).map((operation) => `${operation.method} ${operation.path} (deep)`),
    );
    expectRefused(
      answers.filter(({ label }) => withBody.has(label)),
      [400],
      () => /^body$/,
    );
    expect(await snapshot()).toEqual(before);
  });

  /** The tenant's data audit trail, newest first: any /api write shows up here. */
  const lastTenantChange = async () => (await t.api.get('/api/audit?limit=1', { token: tenantToken })).body.items?.[0]?.id ?? null;
  const writes = () => operations.filter((operation) => operation.method !== 'GET');

  /** One request per (write route, field, hostile value): the field set to the value in an otherwise plausible body. */
  function fieldSweep(kinds: FieldKind[], values: Array<{ label: string; json: string }>) {
    return writes().flatMap((operation) => {
      const path = fill(operation.path, () => SOME_ID);
      return fieldsOf(operation.bodySchema)
        .filter(([, kind]) => kinds.includes(kind))
        .flatMap(([field]) =>
          values.map((value) => ({
            label: `${operation.method} ${operation.path} (body ${field} = ${value.label})`,
            send: () =>
              t.api.request(operation.method, path, undefined, {
                token: tokenFor(path),
                rawBody: withRawField(bodyOf(operation), field, value.json),
              }),
          })),
        );
    });
  }

  async function expectRefusedUnchanged(requests: Array<{ label: string; send: () => Promise<HttpResponse> }>, minimum: number) {
    expect(requests.length).toBeGreaterThan(minimum);
    const before = [await snapshot(), await lastTenantChange()];
    const answers = await sweep(requests);
    expectNoServerErrors(answers);
    const accepted = answers.filter(({ response }) => response.status < 400);
    expect(accepted.map(({ label, response }) => `${label} → ${response.status}`)).toEqual([]);
    expect([await snapshot(), await lastTenantChange()]).toEqual(before);
  }

  it('answers an unpaired surrogate in every string field of every JSON body with 400 naming the field, changing nothing', async () => {
    const requests = fieldSweep(
      ['string'],
      [
        { label: 'lone high surrogate', json: '"a\\ud800b"' },
        { label: 'lone low surrogate', json: '"\\udfff"' },
      ],
    );
    const before = [await snapshot(), await lastTenantChange()];
    const answers = await sweep(requests);
    expect(answers.length).toBeGreaterThan(200);
    expectNoServerErrors(answers);
    expectRefused(answers, [400], (label) => new RegExp(`^body\\.${label.match(/\(body (\S+) = /)![1]}$`));
    expect([await snapshot(), await lastTenantChange()]).toEqual(before);
  });

  it('answers a value of the wrong type in every field of every JSON body with a 4xx, changing nothing', async () => {
    const wrong: Record<FieldKind, unknown[]> = {
      string: [12345, true, ['x'], { x: 'x' }],
      number: ['12', true, [1], {}],
      boolean: ['true', 1, {}],
      array: ['x', 1, { 0: 'x' }],
      object: ['x', 1, ['x'], true],
    };
    const requests = (Object.keys(wrong) as FieldKind[]).flatMap((kind) =>
      fieldSweep(
        [kind],
        wrong[kind].map((value) => ({ label: JSON.stringify(value), json: JSON.stringify(value) })),
      ),
    );
    await expectRefusedUnchanged(requests, 400);
  });

  it('answers huge, infinite and NaN-like numbers in every numeric field with a 4xx, and -0 with no 5xx', async () => {
    const huge = ['1e308', '-1e308', '18446744073709551616', '123456789012345678901234567890', '1e999', '-1e999', '"NaN"', '"Infinity"'];
    await expectRefusedUnchanged(
      fieldSweep(
        ['number'],
        huge.map((json) => ({ label: json, json })),
      ),
      20,
    );
    expectNoServerErrors(await sweep(fieldSweep(['number'], [{ label: '-0', json: '-0' }])));
  });

  it('answers a body in another media type (text, XML, multipart, form) on every write route with 415, changing nothing', async () => {
    const media = [
      { type: 'text/plain', body: '{"name":"x"}' },
      { type: 'application/xml', body: '<name>x</name>' },
      {
        type: 'multipart/form-data; boundary=b',
        body: '--b\r\ncontent-disposition: form-data; name="name"\r\n\r\n{"name":"x"}\r\n--b--\r\n',
      },
      { type: 'application/x-www-form-urlencoded', body: 'name=x' },
    ];
    const requests = writes().flatMap((operation) => {
      const path = fill(operation.path, () => SOME_ID);
      return media.map(({ type, body }) => ({
        label: `${operation.method} ${operation.path} (${type})`,
        send: () =>
          t.api.request(operation.method, path, undefined, { token: tokenFor(path), rawBody: body, headers: { 'content-type': type } }),
      }));
    });
    const before = [await snapshot(), await lastTenantChange()];
    const answers = await sweep(requests);
    expect(answers.length).toBeGreaterThan(200);
    const wrong = answers.filter(({ response }) => response.status !== 415);
    expect(wrong.map(({ label, response }) => `${label} → ${response.status}`)).toEqual([]);
    expect([await snapshot(), await lastTenantChange()]).toEqual(before);
  });

  it('refuses a login with NUL in the e-mail or password with 400, counting no failure', async () => {
    const user = await createUser(t.api, admin);
    const failuresBefore = await t.sql("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'");
    for (let attempt = 0; attempt < 10; attempt++) {
      const nulEmail = await t.api.post('/auth/login', { email: `${user.email}\u0000`, password: 'wrong-password' });
      expect(nulEmail.status).toBe(400);
      expect(nulEmail.body.details).toEqual([{ field: 'body.email', problems: ['must not contain U+0000'] }]);
      expect((await t.api.post('/auth/login', { email: user.email, password: `wrong\u0000` })).status).toBe(400);
    }
    expect(await t.sql("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'")).toEqual(failuresBefore);
    // 20 counted failures would have throttled the account (LOGIN_MAX_FAILURES_PER_ACCOUNT is 5).
    expect((await t.api.post('/auth/login', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('refuses a login nested 3,000 deep with 400 naming the body', async () => {
    const response = await t.api.post('/auth/login', undefined, { rawBody: `{"email":${DEEP_JSON},"password":"x"}` });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The JSON body is nested deeper than 64 levels',
      details: [{ field: 'body' }],
    });
  });

  it('keeps accepting bodies nested within the limit', async () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '1' + '}'.repeat(depth - 1);
    const response = await t.api.post('/auth/login', undefined, {
      rawBody: `{"email":"x@example.test","password":"x","extra":${nested(63)}}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/extra should not exist/);
  });

  it('still refuses prototype poisoning in a JSON body (Fastify’s parser behind the depth check)', async () => {
    const before = await snapshot();
    for (const rawBody of ['{"slug":"p","__proto__":{"isAdmin":true}}', '{"slug":"p","constructor":{"prototype":{"isAdmin":true}}}']) {
      const response = await t.api.post('/control/tenants', undefined, { token: admin, rawBody });
      expect([rawBody, response.status, response.body.message]).toEqual([rawBody, 400, expect.stringMatching(/JSON/)]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses NUL in switch-tenant without revoking the caller’s login', async () => {
    const tenant = await createTenant(t.api, admin);
    const other = await createTenant(t.api, admin);
    const user = await createUser(t.api, admin);
    await addMember(t.api, admin, tenant.id, user.email, 'member');
    await addMember(t.api, admin, other.id, user.email, 'member');
    const session = await loginAs(t.api, user.email, user.password, tenant.slug);
    const refused = await t.api.post(
      '/auth/switch-tenant',
      { refreshToken: session.refreshToken, tenant: `${other.slug}\u0000` },
      { token: session.accessToken },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'body.tenant', problems: ['must not contain U+0000'] }]);
    const refreshed = await t.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const switched = await t.api.post(
      '/auth/switch-tenant',
      { refreshToken: refreshed.body.refreshToken, tenant: other.slug },
      { token: refreshed.body.accessToken },
    );
    expect(switched.status).toBe(200);
  });

  it('refuses NUL in a header the app reads (x-tenant-id) with 400: Node’s HTTP parser first, our check behind it', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const url = new URL(t.api.baseUrl);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.end(
          `GET /api/notes HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${tenantToken}\r\nx-tenant-id: acme\u0000\r\nconnection: close\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    // Injected requests skip Node's parser (as a lenient proxy or parser might): the app's own check answers.
    const injected = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/api/notes', headers: { authorization: `Bearer ${tenantToken}`, 'x-tenant-id': 'acme\u0000' } });
    expect(injected.statusCode).toBe(400);
    expect(injected.json().details).toEqual([{ field: 'headers.x-tenant-id', problems: ['must not contain U+0000'] }]);
  });

  it('answers %00 in a path with no route parameter, or an unknown path, with 400', async () => {
    for (const path of ['/api/tenant/modules%00', '/auth/login%00', '/nowhere%00/at-all']) {
      const response = await t.api.post(path, { email: 'x', password: 'y' }, { token: tenantToken });
      expect([path, response.status, response.body.details]).toEqual([
        path,
        400,
        [{ field: 'path', problems: ['must not contain U+0000'] }],
      ]);
    }
  });

  it('answers module names that are only prototype keys (__proto__, constructor) with 404, changing nothing', async () => {
    const before = await snapshot();
    for (const [method, name] of [
      ['DELETE', '__proto__'],
      ['PUT', 'constructor'],
      ['PUT', 'toString'],
      ['DELETE', 'hasOwnProperty'],
    ]) {
      const response = await t.api.request<any>(method, `/api/tenant/modules/${name}`, undefined, { token: tenantToken });
      expect([method, name, response.status, response.body.message]).toEqual([method, name, 404, `There is no module "${name}"`]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a cursor with a NUL hidden in its base64 with 400 naming the cursor', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '0b7e8f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    for (const [path, token] of [
      [`/api/contacts?sort=lastName&cursor=${cursor(['Do\u0000e', id])}`, tenantToken],
      [`/api/notes?cursor=${cursor(['2026-01-01T00:00:00Z', `${id}\u0000`])}`, tenantToken],
      [`/control/users?cursor=${cursor(['2026-01-01T00:00:00Z', `${id}\u0000`])}`, admin],
    ]) {
      const response = await t.api.get(path, { token });
      expect([path, response.status, response.body.details]).toEqual([path, 400, [{ field: 'cursor', problems: ['cursor is invalid'] }]]);
    }
  });
});

/** Every operation of an OpenAPI document, with its parameters and the schema of its JSON body. */
function operationsOf(document: {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
}): Operation[] {
  const resolve = (schema?: Schema): Schema | undefined =>
    schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const body = resolve(operation.requestBody?.content?.['application/json']?.schema);
      const merged = body?.allOf
        ? { type: 'object', properties: Object.assign({}, ...body.allOf.map((part) => resolve(part)?.properties ?? {})) }
        : body;
      return { method: method.toUpperCase(), path, parameters: operation.parameters ?? [], bodySchema: merged };
    }),
  );
}

function fill(path: string, value: (name: string, index: number) => string): string {
  let index = 0;
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => value(name, index++));
}

/** Every body field with the kind of value its schema asks for. */
function fieldsOf(schema?: Schema): Array<[string, FieldKind]> {
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => [name, kindOf(property)]);
}

function kindOf(property: Schema): FieldKind {
  if (property.$ref || property.allOf || property.oneOf) return 'object';
  if (property.type === 'integer') return 'number';
  return (['string', 'number', 'boolean', 'array'] as const).find((kind) => kind === property.type) ?? 'object';
}

/** The body as JSON text with `field` set to `json` as written (so 1e999, -0 and lone surrogates arrive as sent). */
function withRawField(body: Record<string, unknown> | undefined, field: string, json: string): string {
  const marker = '"__hostile_value__"';
  return JSON.stringify({ ...body, [field]: '__hostile_value__' }).replace(marker, json);
}

function stringFieldsOf(schema?: Schema): string[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([, property]) => property.type === 'string')
    .map(([name]) => name);
}

/** A plausible body for a write (so only the hostile part differs), none for a read. */
function bodyOf(operation: Operation): Record<string, unknown> | undefined {
  if (operation.method === 'GET' || operation.method === 'DELETE') return undefined;
  return Object.fromEntries(stringFieldsOf(operation.bodySchema).map((name) => [name, 'x']));
}
