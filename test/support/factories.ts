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

export type TenantOverrides = Partial<{
  slug: string;
  name: string;
  plan: string;
  placement: string;
  databaseServerId: string;
  tenantPoolId: string;
  enabledModules: string[];
  admin: { email: string; password?: string; name?: string };
}>;

/** Registers a tenant (202) without waiting for its provisioning. */
export async function registerTenant(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const slug = overrides.slug ?? unique('t').toLowerCase();
  const admin = overrides.admin ?? { email: `${unique('owner')}@example.test`, password: 'a-long-enough-password' };
  const response = await api.post('/control/tenants', { slug, name: `Tenant ${slug}`, plan: 'starter', placement: 'pooled', ...overrides, admin }, { token });
  if (response.status !== 202) throw new Error(`tenant registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { tenant: response.body as TenantBody, admin };
}

export interface TenantBody {
  id: string;
  slug: string;
  name: string;
  status: string;
  adminUserId: string;
  failureReason: string | null;
  provisioning: Array<{ attempt: number; step: string; status: string; detail: string | null; durationMs: number | null }>;
}

/** Polls GET /control/tenants/:id until the tenant leaves `provisioning` (or the timeout passes). */
export async function waitForProvisioning(api: HttpClient, token: string, tenantId: string, timeoutMs = 30_000): Promise<TenantBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.get(`/control/tenants/${tenantId}`, { token });
    if (response.status !== 200) throw new Error(`reading tenant ${tenantId} failed: ${response.status} ${JSON.stringify(response.body)}`);
    if (response.body.status !== 'provisioning') return response.body;
    if (Date.now() > deadline) throw new Error(`tenant ${tenantId} still provisioning after ${timeoutMs} ms: ${JSON.stringify(response.body.provisioning)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A provisioned, active tenant and the credentials of its admin. */
export async function createTenant(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const { tenant, admin } = await registerTenant(api, token, overrides);
  const provisioned = await waitForProvisioning(api, token, tenant.id);
  if (provisioned.status !== 'active') throw new Error(`tenant ${tenant.slug} ended ${provisioned.status}: ${provisioned.failureReason}`);
  return { ...provisioned, admin: { id: provisioned.adminUserId, email: admin.email, password: admin.password ?? '' } };
}

/** A provisioned tenant and its admin's access token: where most tenant API tests start. */
export async function tenantAdminSession(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const tenant = await createTenant(api, token, overrides);
  return { tenant, token: (await loginAs(api, tenant.admin.email, tenant.admin.password)).accessToken };
}

export async function addMember(api: HttpClient, token: string, tenantId: string, email: string, role: string) {
  const response = await api.put(`/control/tenants/${tenantId}/members`, { email, role }, { token });
  if (response.status !== 200) throw new Error(`membership failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A tenant with its tenant admin (named at registration) and one member, each able to log in. */
export async function tenantWithUsers(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const tenant = await createTenant(api, token, overrides);
  const member = await createUser(api, token);
  await addMember(api, token, tenant.id, member.email, 'member');
  return { tenant, admin: tenant.admin, member };
}
