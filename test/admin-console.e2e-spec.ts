import { mkdir } from 'node:fs/promises';
import { generateSync } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_CONSOLE_CSP } from '../src/platform/admin-console/admin-console';
import { buildAdminConsole, checkConsolePage, DESKTOP, launchChromium, SCREENSHOTS, watchPolicyViolations } from './support/admin-console';
import { adminToken, createUser, registerTenant, unique } from './support/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

describe('admin console in a real browser', () => {
  let t: TestApp;
  let consoleBuild: Awaited<ReturnType<typeof buildAdminConsole>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let refusedByPolicy: string[];
  let tenantSlug: string;
  let tenantId: string;
  /** The admin's API token from before the console test enrols their second factor (a new login would need a code). */
  let token: string;

  beforeAll(async () => {
    [consoleBuild, browser] = await Promise.all([buildAdminConsole(), launchChromium()]);
    t = await startTestApp({ env: { ADMIN_CONSOLE_DIR: consoleBuild.directory } });
    context = await browser.newContext({ viewport: DESKTOP, baseURL: t.api.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    refusedByPolicy = await watchPolicyViolations(page);
    if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await consoleBuild?.remove();
  });

  afterEach(() => {
    // Nothing the console does may need more than its own origin: no inline script or style, no other host.
    expect(refusedByPolicy.splice(0)).toEqual([]);
  });

  it('serves the console from /admin: assets cached for good, the page revalidated, any console path answered with the app, self-only CSP', async () => {
    const redirect = await fetch(`${t.api.baseUrl}/admin`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/admin/');

    const index = await fetch(`${t.api.baseUrl}/admin/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toBe(ADMIN_CONSOLE_CSP);
    const html = await index.text();
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)![1];

    const deepLink = await fetch(`${t.api.baseUrl}/admin/tenants/some/page`);
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    expect(await deepLink.text()).toBe(html);

    const script = await fetch(`${t.api.baseUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    expect((await fetch(`${t.api.baseUrl}/admin/assets/missing-0000.js`)).status).toBe(404);
    expect((await fetch(`${t.api.baseUrl}/admin/..%2F..%2Fpackage.json`)).headers.get('content-type')).not.toMatch(/json/);
  });

  it('signs in with e-mail, password and the TOTP code, and shows who is signed in with their role', async () => {
    token = await adminToken(t.api);
    const { secret } = (await t.api.post('/auth/mfa/totp/setup', {}, { token })).body;
    expect((await t.api.post('/auth/mfa/totp/confirm', { code: totp(secret) }, { token })).status).toBe(200);

    await page.goto('/admin/');
    await checkConsolePage(page, 'sign-in');
    await page.getByRole('textbox', { name: 'E-mail' }).fill(TEST_ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Invalid email or password').waitFor();

    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The next time step's code: the current one was spent on enrolling.
    await page.getByRole('textbox', { name: 'Authentication code' }).fill(totp(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByTestId('signed-in-as').getByText(TEST_ADMIN.email).waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('platform admin');
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
  });

  it('creates a tenant, follows its provisioning until it is active, and invites a member', async () => {
    tenantSlug = unique('console').toLowerCase();
    await page.getByRole('button', { name: 'New tenant' }).click();
    await page.getByRole('textbox', { name: 'Slug' }).fill('Not A Slug');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Console Test Ltd');
    await page.getByRole('textbox', { name: "Tenant admin's e-mail" }).fill(`${tenantSlug}@example.test`);
    await page.getByRole('button', { name: 'Create tenant' }).click();
    // The API's own words, with the field at fault.
    await page.getByRole('alert').getByText(/slug:/).waitFor();

    await page.getByRole('textbox', { name: 'Slug' }).fill(tenantSlug);
    await page.getByRole('combobox', { name: 'Plan' }).selectOption('professional');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Console Test Ltd' }).waitFor();
    tenantId = /\/admin\/tenants\/([0-9a-f-]{36})$/.exec(page.url())![1];

    await page.getByText('active', { exact: true }).first().waitFor({ timeout: 30_000 });
    const timeline = page.getByRole('table', { name: 'Provisioning steps' });
    for (const step of ['place', 'database', 'defaults', 'admin', 'activate']) {
      await timeline.getByRole('cell', { name: step, exact: true }).waitFor();
    }
    expect(await page.getByTestId('fact-plan').textContent()).toBe('professional');
    expect(await page.getByTestId('fact-placement').textContent()).toBe('pooled');
    await page.getByRole('table', { name: 'Plan quotas' }).getByRole('rowheader', { name: 'Users' }).waitFor();

    const invitations = page.getByRole('table', { name: 'Invitations' });
    await invitations.getByRole('row', { name: new RegExp(`${tenantSlug}@example.test tenant_admin pending`) }).waitFor();
    await page.getByRole('textbox', { name: 'Invite by e-mail' }).fill(`colleague-${tenantSlug}@example.test`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await invitations.getByRole('row', { name: new RegExp(`colleague-${tenantSlug}@example.test member pending`) }).waitFor();
    await checkConsolePage(page, 'tenant');
  });

  it('lists tenants with search, filters and cursor paging, and stays signed in across a reload', async () => {
    const other = await registerTenant(t.api, token, { slug: `${tenantSlug}-b` });
    await page.goto(`/admin/tenants?search=${tenantSlug}&limit=1`);
    await page.getByRole('link', { name: tenantSlug, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: other.tenant.slug }).waitFor();
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: tenantSlug, exact: true }).waitFor();

    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    await page.getByRole('textbox', { name: 'Search slug or name' }).fill(tenantSlug);
    await page.getByRole('combobox', { name: 'Plan' }).selectOption('professional');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: tenantSlug, exact: true }).waitFor();
    await checkConsolePage(page, 'tenants');

    await page.getByRole('combobox', { name: 'Plan' }).selectOption('enterprise');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No tenant matches.').waitFor();

    // The access token lives in memory only: a reload trades the stored refresh token for a new one.
    await page.reload();
    await page.getByTestId('signed-in-as').getByText(TEST_ADMIN.email).waitFor();
    await page.getByText('No tenant matches.').waitFor();
  });

  it('shows the provisioning queue: jobs waiting, running, retrying, failed and done', async () => {
    await page.getByRole('link', { name: 'Provisioning queue' }).click();
    const counts = page.getByTestId('queue-counts');
    await counts.getByText('Completed').waitFor();
    expect(await counts.textContent()).toMatch(/Failed0Completed[1-9]/);
    await checkConsolePage(page, 'queue');
  });

  it('suspends, deletes and restores the tenant, each after a confirmation that says what happens', async () => {
    await page.goto(`/admin/tenants/${tenantId}`);
    await page.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Suspend?' });
    await dialog.getByText(/refused at once/).waitFor();
    await dialog.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect((await t.api.get(`/control/tenants/${tenantId}`, { token })).body.status).toBe('suspended');

    // Deleted, then restored: it comes back suspended. The dialog closes with Escape, changing nothing.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await t.api.get(`/control/tenants/${tenantId}`, { token })).body.status).toBe('suspended');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page
      .getByRole('dialog', { name: 'Restore?' })
      .getByText(/comes back suspended/)
      .waitFor();
    await page.getByRole('dialog', { name: 'Restore?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
  });

  it('finds the suspension in the audit trail by action and target, its change shown as a diff', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('textbox', { name: 'Action' }).fill('tenant.suspend');
    await page.getByRole('textbox', { name: 'Target id' }).fill(tenantId);
    await page.getByRole('button', { name: 'Search' }).click();
    const entries = page.getByRole('table', { name: 'Audit entries' }).getByRole('row');
    await entries.nth(1).getByText('tenant.suspend').waitFor();
    expect(await entries.count()).toBe(2);
    expect(await entries.nth(1).locator('del').textContent()).toBe('active');
    expect(await entries.nth(1).locator('ins').textContent()).toBe('suspended');
    await checkConsolePage(page, 'audit');

    // A malformed filter: the API's refusal, in its words, naming the field.
    await page.getByRole('textbox', { name: 'Actor (user id)' }).fill('not-a-uuid');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('alert')
      .getByText(/actorUserId/)
      .first()
      .waitFor();
  });

  it('starts a dry-run fleet migration with the chosen concurrency and shows progress and the result per database', async () => {
    await page.getByRole('link', { name: 'Fleet migrations' }).click();
    await page.getByRole('textbox', { name: 'Concurrency' }).fill('2');
    await page.getByRole('button', { name: 'Start migration' }).click();
    const summary = page.getByTestId('migration-summary');
    await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(/^(\d+) of \1 databases inspected: \d+ would be migrated, .*\(dry run: nothing changed\)$/);
    const rows = page.getByRole('table', { name: 'Databases of the run' }).getByRole('row');
    expect(await rows.count()).toBeGreaterThan(1);
    await checkConsolePage(page, 'migrations');
    const runs = (await t.api.get('/control/migrations', { token })).body;
    expect(runs.map((run: { options: { dryRun: boolean; concurrency: number } }) => run.options)).toEqual([
      expect.objectContaining({ dryRun: true, concurrency: 2 }),
    ]);
  });

  it('signs out: the session ends and a reload stays signed out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('signs a super admin in by keyboard, shows what only a platform admin may do disabled with the reason, and sets up their second factor', async () => {
    const superAdmin = await createUser(t.api, token);
    const assigned = await t.api.put(
      `/control/users/${superAdmin.id}/platform-role`,
      { role: 'super_admin', tenantIds: [tenantId] },
      { token },
    );
    expect(assigned.status).toBe(200);

    // By keyboard only: the e-mail field, Tab to the password, Enter submits.
    await page.getByRole('textbox', { name: 'E-mail' }).focus();
    await page.keyboard.type(superAdmin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(superAdmin.password);
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('super admin');
    // Signed out on the migrations page, they land there: it says why it is not for them.
    await page.getByText('Only a platform admin runs fleet migrations.').waitFor();
    expect(await page.getByRole('link', { name: 'Fleet migrations' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Provisioning queue' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    expect(await page.getByRole('button', { name: 'New tenant' }).isDisabled()).toBe(true);
    await page.getByText('Only a platform admin creates tenants.').waitFor();

    await page.getByRole('link', { name: tenantSlug, exact: true }).click();
    const resume = page.getByRole('button', { name: 'Resume' });
    expect(await resume.isDisabled()).toBe(true);
    expect(await resume.getAttribute('aria-describedby')).toBeTruthy();
    await page.getByText('Only a platform admin suspends, resumes, deletes or retries tenants.').first().waitFor();
    await page.getByText('Only a platform admin sees usage.').waitFor();

    // They have no second factor yet: the console sets one up, and shows the recovery codes once.
    await page.getByRole('link', { name: 'Set up a second factor' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByRole('textbox', { name: 'The code it shows now' }).fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const recoveryCodes = page.getByTestId('recovery-codes').getByRole('listitem');
    await recoveryCodes.first().waitFor();
    expect(await recoveryCodes.count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    expect(await page.getByRole('link', { name: 'Set up a second factor' }).count()).toBe(0);
    const passwordOnly = await t.api.post('/auth/login', { email: superAdmin.email, password: superAdmin.password });
    expect(passwordOnly.body).toMatchObject({ mfaRequired: true });
  });
});

function totp(secret: string, stepsAhead = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}
