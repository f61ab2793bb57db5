import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { buildAdminConsole, checkConsolePage, DESKTOP, launchChromium, SCREENSHOTS, watchPolicyViolations } from './support/admin-console';
import { adminToken, createTenant, loginAs, unique } from './support/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

/** A `datetime-local` value (the browser's local time, which is this machine's) `minutes` from now. */
function localInputTime(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * The console's fleet and tenant-data pages in a real Chromium against the real app: a platform admin reads
 * the servers' and pools' fill and drains a server; a person admin of two tenants switches between them and
 * finds, in each tenant's data audit, exactly that tenant's changes made through the API, shown as a diff.
 */
describe('admin console: servers and pools, a tenant switcher and the tenant data audit', () => {
  let t: TestApp;
  let consoleBuild: Awaited<ReturnType<typeof buildAdminConsole>>;
  let browser: Browser;
  let page: Page;
  let refusedByPolicy: string[];
  let token: string;
  let pooled: Awaited<ReturnType<typeof createTenant>>;
  let serverName: string;
  let spareServer: { id: string; name: string };

  beforeAll(async () => {
    [consoleBuild, browser] = await Promise.all([buildAdminConsole(), launchChromium()]);
    t = await startTestApp({ env: { ADMIN_CONSOLE_DIR: consoleBuild.directory } });
    token = await adminToken(t.api);
    // One person is the admin of both: a pooled tenant and a dedicated one on the test server.
    pooled = await createTenant(t.api, token, { name: 'Pooled Tenant' });
    await createTenant(t.api, token, {
      name: 'Dedicated Tenant',
      placement: 'dedicated',
      databaseServerId: t.databaseServerId,
      admin: { email: pooled.admin.email },
    });
    serverName = (await t.api.get(`/control/database-servers/${t.databaseServerId}`, { token })).body.name;
    // A second registration of the same PostgreSQL, holding nothing: the one drained here.
    const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
    const spare = await t.api.post(
      '/control/database-servers',
      {
        name: unique('spare'),
        host: url.hostname,
        port: Number(url.port || 5432),
        adminUser: decodeURIComponent(url.username),
        adminPassword: decodeURIComponent(url.password),
        maxDatabases: 5,
      },
      { token },
    );
    expect(spare.status).toBe(201);
    spareServer = spare.body;
    if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  });

  // Each journey in a browser of its own: nobody is left signed in from the one before.
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: t.api.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    refusedByPolicy = await watchPolicyViolations(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await consoleBuild?.remove();
  });

  afterEach(async () => {
    await page.context().close();
    expect(refusedByPolicy.splice(0)).toEqual([]);
  });

  async function signIn(email: string, password: string) {
    await page.goto('/admin/');
    await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  it('shows each server’s and pool’s fill, and drains a server after saying what will happen', async () => {
    await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Servers and pools' }).click();
    await page.getByRole('heading', { name: 'Database servers and pools' }).waitFor();

    const servers = page.getByRole('table', { name: 'Database servers' });
    const server = servers.getByRole('row', { name: new RegExp(`^${serverName} `) });
    await server.getByRole('progressbar', { name: `Dedicated databases on ${serverName}: 1 of 1000` }).waitFor();
    expect(await server.textContent()).toMatch(/active1 \/ 1000.*1 tenant\(s\) in them/);
    const pool = page.getByRole('table', { name: 'Tenant pools' }).getByRole('row', { name: new RegExp(serverName) });
    await pool.getByRole('progressbar', { name: /^Tenants in pool \w+: 1 of 10000$/ }).waitFor();
    await checkConsolePage(page, 'servers');

    const spare = servers.getByRole('row', { name: new RegExp(`^${spareServer.name} `) });
    // An empty bar has no width: present, not visible.
    await spare.getByRole('progressbar', { name: `Dedicated databases on ${spareServer.name}: 0 of 5` }).waitFor({ state: 'attached' });
    await spare.getByRole('button', { name: 'Drain' }).click();
    const dialog = page.getByRole('dialog', { name: 'Drain?' });
    expect(await dialog.textContent()).toContain(
      `${spareServer.name} will be marked draining: no new tenant, pool or move is placed on it. It holds 0 dedicated tenant database(s)`,
    );
    await dialog.getByRole('button', { name: 'Drain' }).click();
    const outcome = page.getByRole('status').filter({ hasText: `${spareServer.name} is draining` });
    expect(await outcome.textContent()).toContain('0 move(s) started or under way.');
    await spare.getByText('draining', { exact: true }).waitFor();
    await spare.getByRole('button', { name: 'Drain again' }).waitFor();
    expect((await t.api.get(`/control/database-servers/${spareServer.id}`, { token })).body.status).toBe('draining');
    // The other server is left as it was.
    expect((await t.api.get(`/control/database-servers/${t.databaseServerId}`, { token })).body).toMatchObject({
      status: 'active',
      tenantDatabases: 1,
      tenantPools: 1,
    });
  });

  it('lets a person admin of two tenants choose one, then switch, each tenant page showing that tenant’s data', async () => {
    const { admin } = pooled;
    const pooledToken = (await loginAs(t.api, admin.email, admin.password, pooled.slug)).accessToken;
    const created = await t.api.post('/api/contacts', { firstName: 'Grace', lastName: 'Hopper' }, { token: pooledToken });
    expect(created.status).toBe(201);
    expect((await t.api.patch(`/api/contacts/${created.body.id}`, { lastName: 'Murray Hopper' }, { token: pooledToken })).status).toBe(200);

    // Belonging to two tenants, the person signs in to neither and is asked to choose.
    await signIn(admin.email, admin.password);
    await page.getByText('You belong to several tenants: choose the one to administer').waitFor();
    const tenantList = page.getByRole('combobox', { name: 'Tenant' });
    await tenantList.selectOption({ label: 'Pooled Tenant (tenant admin)' });
    await page.getByTestId('signed-in-role').getByText('tenant admin of Pooled Tenant').waitFor();

    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Data audit' }).click();
    await page.getByRole('heading', { name: 'Data audit of Pooled Tenant' }).waitFor();
    const search = page.getByRole('form', { name: 'Search the data audit trail' });
    // A filter the API refuses is shown in the API's words.
    await search.getByRole('textbox', { name: 'Record kind' }).fill('Contact!');
    await search.getByRole('button', { name: 'Search' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('entity must be a record kind such as "note"');
    await search.getByRole('combobox', { name: 'Actor' }).selectOption({ label: `Test User (${admin.email})` });
    await search.getByRole('combobox', { name: 'Action' }).selectOption('update');
    await search.getByRole('textbox', { name: 'Record kind' }).fill('contact');
    await search.getByLabel('From', { exact: true }).fill(localInputTime(-60));
    await search.getByRole('button', { name: 'Search' }).click();
    const entries = page.getByRole('table', { name: 'Data audit entries' });
    const update = entries.getByRole('row', { name: new RegExp(`update contact ${created.body.id}`) });
    await update.waitFor();
    expect(await entries.getByRole('row').count()).toBe(2);
    expect(await update.locator('del').textContent()).toBe('Hopper');
    expect(await update.locator('ins').textContent()).toBe('Murray Hopper');
    expect(await update.textContent()).toContain(`Test User (${admin.email})`);
    expect(new URL(page.url()).searchParams.get('entity')).toBe('contact');
    await checkConsolePage(page, 'data-audit');

    // A time range that ends before the change finds nothing.
    await search.getByLabel('Until', { exact: true }).fill(localInputTime(-30));
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No change matches.').waitFor();
    await search.getByLabel('Until', { exact: true }).fill('');
    await search.getByRole('button', { name: 'Search' }).click();
    await update.waitFor();

    // The other tenant: the same page, now reading that tenant's trail, where the contact's change is not.
    await tenantList.selectOption({ label: 'Dedicated Tenant (tenant admin)' });
    await page.getByRole('heading', { name: 'Data audit of Dedicated Tenant' }).waitFor();
    await page.getByText('No change matches.').waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('tenant admin of Dedicated Tenant');
    await checkConsolePage(page, 'tenant-switcher');

    // And back: the change is found again.
    await tenantList.selectOption({ label: 'Pooled Tenant (tenant admin)' });
    await page.getByRole('heading', { name: 'Data audit of Pooled Tenant' }).waitFor();
    await update.waitFor();
  });

  it('tells a platform admin that a tenant’s data audit is its own admins’ to read', async () => {
    await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto('/admin/data-audit');
    await page.getByText("A tenant's data audit trail is read by its own admins, signed in to that tenant.").waitFor();
    expect(await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Data audit' }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Tenant' }).count()).toBe(0);
  });
});
