import { randomBytes } from 'node:crypto';
import { HttpClient } from './http-client';
import { TEST_ADMIN } from './test-app';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function loginAs(api: HttpClient, email: string, password: string, tenant?: string) {
  const response = await api.post('/auth/login', { email, password, ...(tenant ? { tenant } : {}) });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { accessToken: string; refreshToken: string; roles: string[]; tenant: { id: string; slug: string } | null };
}

export async function adminToken(api: HttpClient): Promise<string> {
  return (await loginAs(api, TEST_ADMIN.email, TEST_ADMIN.password)).accessToken;
}

export async function createUser(api: HttpClient, token: string, overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  const input = { email: `${unique('user')}@example.test`, password: 'a-long-enough-password', name: 'Test User', ...overrides };
  const response = await api.post('/control/users', input, { token });
  if (response.status !== 201) throw new Error(`user creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...response.body, password: input.password } as { id: string; email: string; password: string };
}

export async function createTenant(
  api: HttpClient,
  token: string,
  overrides: Partial<{ slug: string; name: string; plan: string; placement: string; databaseServerId: string; tenantPoolId: string }> = {},
) {
  const slug = overrides.slug ?? unique('t').toLowerCase();
  const response = await api.post('/control/tenants', { slug, name: `Tenant ${slug}`, plan: 'starter', placement: 'pooled', ...overrides }, { token });
  if (response.status !== 201) throw new Error(`tenant creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; slug: string; status: string };
}

export async function addMember(api: HttpClient, token: string, tenantId: string, email: string, role: string) {
  const response = await api.put(`/control/tenants/${tenantId}/members`, { email, role }, { token });
  if (response.status !== 200) throw new Error(`membership failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A tenant with one tenant admin and one member, each able to log in. */
export async function tenantWithUsers(api: HttpClient, token: string) {
  const tenant = await createTenant(api, token);
  const admin = await createUser(api, token);
  const member = await createUser(api, token);
  await addMember(api, token, tenant.id, admin.email, 'tenant_admin');
  await addMember(api, token, tenant.id, member.email, 'member');
  return { tenant, admin, member };
}
