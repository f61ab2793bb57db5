import { randomBytes } from 'node:crypto';
import { HttpClient } from './http-client';
import { Mailbox, mailboxOf } from './mailbox';
import { TEST_ADMIN } from './test-app';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const DEFAULT_PASSWORD = 'a-long-enough-password';

/** The passwords the test people chose when they accepted their invitations (test users are their own mailbox holders). */
const chosenPasswords = new Map<string, string>();

export async function loginAs(api: HttpClient, email: string, password: string, tenant?: string) {
  const response = await api.post('/auth/login', { email, password, ...(tenant ? { tenant } : {}) });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { accessToken: string; refreshToken: string; roles: string[]; tenant: { id: string; slug: string } | null };
}

export async function adminToken(api: HttpClient): Promise<string> {
  return (await loginAs(api, TEST_ADMIN.email, TEST_ADMIN.password)).accessToken;
}

/** Reads the newest invitation mailed to `email` and returns its token. */
export async function invitationTokenFor(api: HttpClient, email: string): Promise<string> {
  return Mailbox.tokenIn(await mailboxOf(api).take(email, /invited/));
}

/**
 * Accepts the invitation mailed to `email` as its holder would: a new account chooses `password`;
 * an existing one signs in with the password it chose and accepts while signed in.
 */
export async function acceptInvitation(
  api: HttpClient,
  email: string,
  password = chosenPasswords.get(email) ?? DEFAULT_PASSWORD,
  name = 'Test User',
) {
  const token = await invitationTokenFor(api, email);
  const preview = await api.post('/auth/invitations/preview', { token });
  if (preview.status !== 200) throw new Error(`invitation preview failed: ${preview.status} ${JSON.stringify(preview.body)}`);
  const accepted = preview.body.accountExists
    ? await api.post('/auth/invitations/accept-existing', { token }, { token: (await loginAs(api, email, password)).accessToken })
    : await api.post('/auth/invitations/accept', { token, password, name });
  if (accepted.status !== 201)
    throw new Error(`accepting the invitation of ${email} failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  chosenPasswords.set(email, password);
  return accepted.body as { userId: string; email: string; tenant: { id: string; slug: string } | null; role: string | null };
}

/** A platform account: invited by the platform admin, opened by its holder with the password they chose. */
export async function createUser(
  api: HttpClient,
  token: string,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
) {
  const input = { email: `${unique('user')}@example.test`, password: DEFAULT_PASSWORD, name: 'Test User', ...overrides };
  const invited = await api.post('/control/invitations', { email: input.email }, { token });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await acceptInvitation(api, input.email, input.password, input.name);
  return { id: accepted.userId, email: accepted.email, password: input.password };
}

export type TenantOverrides = Partial<{
  slug: string;
  name: string;
  plan: string;
  placement: string;
  databaseServerId: string;
  tenantPoolId: string;
  enabledModules: string[];
  /** The admin invited at registration; `password` is the one they choose on accepting (or already have). */
  admin: { email: string; password?: string; name?: string };
}>;

/** Registers a tenant (202) without waiting for its provisioning; its admin is invited by mail. */
export async function registerTenant(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const slug = overrides.slug ?? unique('t').toLowerCase();
  const admin = { password: DEFAULT_PASSWORD, ...(overrides.admin ?? { email: `${unique('owner')}@example.test` }) };
  const response = await api.post(
    '/control/tenants',
    { slug, name: `Tenant ${slug}`, plan: 'starter', placement: 'pooled', ...overrides, admin: { email: admin.email } },
    { token },
  );
  if (response.status !== 202) throw new Error(`tenant registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { tenant: response.body as TenantBody, admin };
}

export interface TenantBody {
  id: string;
  slug: string;
  name: string;
  status: string;
  adminUserId: string | null;
  enabledModules: string[];
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
    if (Date.now() > deadline)
      throw new Error(`tenant ${tenantId} still provisioning after ${timeoutMs} ms: ${JSON.stringify(response.body.provisioning)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A provisioned, active tenant whose invited admin accepted, and the admin's credentials. */
export async function createTenant(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const { tenant, admin } = await registerTenant(api, token, overrides);
  const provisioned = await waitForProvisioning(api, token, tenant.id);
  if (provisioned.status !== 'active') throw new Error(`tenant ${tenant.slug} ended ${provisioned.status}: ${provisioned.failureReason}`);
  const accepted = await acceptInvitation(api, admin.email, admin.password, admin.name);
  return { ...provisioned, admin: { id: accepted.userId, email: admin.email, password: admin.password } };
}

/** A provisioned tenant and its admin's access token: where most tenant API tests start. */
export async function tenantAdminSession(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const tenant = await createTenant(api, token, overrides);
  return { tenant, token: (await loginAs(api, tenant.admin.email, tenant.admin.password, tenant.slug)).accessToken };
}

/**
 * Makes an existing account a member with `role` the way the platform does it: a platform admin
 * invites, the holder accepts while signed in. An existing member's role is changed instead.
 */
export async function addMember(api: HttpClient, token: string, tenantId: string, email: string, role: string) {
  const members = await api.get(`/control/tenants/${tenantId}/members`, { token });
  const existing = (members.body as Array<{ userId: string; email: string }>).find((member) => member.email === email);
  if (existing) {
    const changed = await api.patch(`/control/tenants/${tenantId}/members/${existing.userId}`, { role }, { token });
    if (changed.status !== 200) throw new Error(`role change failed: ${changed.status} ${JSON.stringify(changed.body)}`);
    return changed.body;
  }
  const invited = await api.post(`/control/tenants/${tenantId}/invitations`, { email, role }, { token });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  await acceptInvitation(api, email);
  const after = await api.get(`/control/tenants/${tenantId}/members`, { token });
  return (after.body as Array<{ email: string }>).find((member) => member.email === email);
}

/** A tenant with its tenant admin (invited at registration) and one member, each able to log in. */
export async function tenantWithUsers(api: HttpClient, token: string, overrides: TenantOverrides = {}) {
  const tenant = await createTenant(api, token, overrides);
  const member = await createUser(api, token);
  await addMember(api, token, tenant.id, member.email, 'member');
  return { tenant, admin: tenant.admin, member };
}

/** A tenant user with `tenantToken` and users.manage invites `email` with `role` (POST /api/invitations); its holder accepts. */
export async function inviteIntoTenant(api: HttpClient, tenantToken: string, email: string, role: string, password = DEFAULT_PASSWORD) {
  const invited = await api.post('/api/invitations', { email, role }, { token: tenantToken });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  return acceptInvitation(api, email, chosenPasswords.get(email) ?? password);
}
