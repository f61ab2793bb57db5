import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createTenantryClient, TenantryClient } from '../packages/client';
import { OPENAPI_DOCUMENT_PATH } from '../src/openapi/openapi-file';
import { acceptInvitation, unique } from './support/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

/** The generated client (packages/client) against the live server: what a TypeScript consumer of the API would write. */
describe('typed client @tenantry/client', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ openApiDocs: true });
    baseUrl = await t.app.getUrl();
  });
  afterAll(() => t.close());

  /** Signs in with the client itself; the union answer (tokens or an MFA challenge) is narrowed as a consumer must. */
  async function signIn(client: TenantryClient, email: string, password: string, tenant?: string): Promise<string> {
    const { data, error, response } = await client.POST('/auth/login', { body: { email, password, ...(tenant ? { tenant } : {}) } });
    if (!data || !('accessToken' in data)) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(error ?? data)}`);
    return data.accessToken;
  }

  it('logs in, creates a tenant, waits for it and works with its data, all through typed calls', async () => {
    let token: string | undefined;
    const client = createTenantryClient(baseUrl, { token: () => token });
    token = await signIn(client, TEST_ADMIN.email, TEST_ADMIN.password);

    const slug = unique('typed').toLowerCase();
    const admin = { email: `${unique('owner')}@example.test`, password: 'a-long-enough-password' };
    const created = await client.POST('/control/tenants', {
      body: { slug, name: `Typed ${slug}`, plan: 'starter', placement: 'pooled', admin: { email: admin.email } },
    });
    expect(created.response.status).toBe(202);
    const tenantId = created.data!.id;

    let status = created.data!.status;
    for (const deadline = Date.now() + 30_000; status === 'provisioning' && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { data } = await client.GET('/control/tenants/{id}', { params: { path: { id: tenantId } } });
      status = data!.status;
    }
    expect(status).toBe('active');

    await acceptInvitation(t.api, admin.email, admin.password);
    token = await signIn(client, admin.email, admin.password, slug);
    const profile = await client.GET('/api/tenant');
    expect(profile.data).toMatchObject({ id: tenantId, slug, status: 'active' });

    const note = await client.POST('/api/notes', { body: { title: 'Typed hello' } });
    expect(note.response.status).toBe(201);
    const read = await client.GET('/api/notes/{id}', { params: { path: { id: note.data!.id } } });
    expect(read.data).toMatchObject({ id: note.data!.id, title: 'Typed hello' });
    const page = await client.GET('/api/notes', { params: { query: { limit: 10 } } });
    expect(page.data!.items.map((item) => item.id)).toEqual([note.data!.id]);
  });

  it('gets error answers typed as the error shape { statusCode, error, message, details? }', async () => {
    const client = createTenantryClient(baseUrl);
    const wrongPassword = await client.POST('/auth/login', { body: { email: TEST_ADMIN.email, password: 'not-the-password' } });
    expect(wrongPassword.data).toBeUndefined();
    expect(wrongPassword.error).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    const token = await signIn(client, TEST_ADMIN.email, TEST_ADMIN.password);
    const signedIn = createTenantryClient(baseUrl, { token });
    const missing = await signedIn.GET('/control/tenants/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    const notFound: { statusCode: number; message: string } | undefined = missing.error;
    expect(notFound).toMatchObject({ statusCode: 404, message: expect.any(String) });

    const invalid = await signedIn.POST('/control/tenants', {
      body: { slug: 'Not A Slug', name: 'x', plan: 'starter', placement: 'pooled', admin: { email: 'a@example.test' } },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'slug' })]));
  });

  it('is generated from the very document the live server serves at /docs-json', async () => {
    const served = await (await fetch(`${baseUrl}/docs-json`)).json();
    expect(served).toEqual(JSON.parse(await readFile(OPENAPI_DOCUMENT_PATH, 'utf8')));
  });
});
