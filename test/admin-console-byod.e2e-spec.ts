import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'mysql2/promise';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DomainEventLog } from '../src/control-plane/domain-events/domain-event-log';
import { buildAdminConsole, checkConsolePage, DESKTOP, launchChromium, SCREENSHOTS, watchPolicyViolations } from './support/admin-console';
import { adminToken, createTenant, inviteIntoTenant, loginAs, unique } from './support/factories';
import { LEGACY_MYSQL } from './support/legacy-databases';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';
import { until } from './support/until';
import { WebhookReceiver } from './support/webhook-receiver';

const legacyDatabase = `console_byod_${randomBytes(4).toString('hex')}`;

/**
 * A byod tenant's admin in the console, in a real Chromium against the real app: onboarding their own
 * MariaDB through the wizard (a wrong mapping refused at its field, corrected, activated, contacts then
 * served from it), then webhooks (test-send to a local receiver, replays of a delivery and of a time range, edits,
 * the delivery log's pages) and API keys.
 */
describe('admin console: a byod tenant admin brings their database, webhooks and API keys', () => {
  let t: TestApp;
  let consoleBuild: Awaited<ReturnType<typeof buildAdminConsole>>;
  let browser: Browser;
  let page: Page;
  let refusedByPolicy: string[];
  let receiver: WebhookReceiver;
  let tenantId: string;
  let owner: { email: string; password: string };
  let ownerToken: string;
  let tenantName: string;

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE \`${legacyDatabase}\``);
    await mysql.query(
      `CREATE TABLE \`${legacyDatabase}\`.customers (cust_no int PRIMARY KEY, fname varchar(60) NOT NULL, lname varchar(60) NOT NULL, mail varchar(120), signed_up date)`,
    );
    await mysql.query(
      `INSERT INTO \`${legacyDatabase}\`.customers VALUES (1, 'Ada', 'Lovelace', 'ada@example.test', '2020-01-02'), (2, 'Alan', 'Turing', NULL, '2021-03-04')`,
    );
    await mysql.end();
    [consoleBuild, browser, receiver] = await Promise.all([buildAdminConsole(), launchChromium(), WebhookReceiver.start()]);
    t = await startTestApp({
      env: { ADMIN_CONSOLE_DIR: consoleBuild.directory, BYOD_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    const tenant = await createTenant(t.api, await adminToken(t.api), { placement: 'byod', plan: 'professional' });
    tenantId = tenant.id;
    owner = tenant.admin;
    tenantName = tenant.name;
    ownerToken = (await loginAs(t.api, owner.email, owner.password)).accessToken;
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: t.api.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    refusedByPolicy = await watchPolicyViolations(page);
    if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
    await consoleBuild?.remove();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS \`${legacyDatabase}\``);
    await mysql.end();
  });

  afterEach(() => {
    expect(refusedByPolicy.splice(0)).toEqual([]);
  });

  /** The error text an input is described by (Mantine links it with aria-describedby), once the API's answer marks it invalid. */
  async function errorOf(input: ReturnType<Page['getByRole']>): Promise<string> {
    await input.and(page.locator('[aria-invalid="true"]')).waitFor();
    const ids = (await input.getAttribute('aria-describedby'))!.split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join(' ');
  }

  it('onboards the MariaDB source: connection, test, browse, a wrong mapping refused at its field, corrected, activated', async () => {
    await page.goto('/admin/');
    await page.getByRole('textbox', { name: 'E-mail' }).fill(owner.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your own database' }).waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toMatch(/^tenant admin of /);

    // A host the API refuses: its words, at the field.
    const connection = page.getByRole('form', { name: 'Connection' });
    await connection.getByRole('textbox', { name: 'Host' }).fill('not a host!');
    await connection.getByRole('textbox', { name: 'Database' }).fill(legacyDatabase);
    await connection.getByRole('textbox', { name: 'User' }).fill(LEGACY_MYSQL.user);
    await connection.getByRole('button', { name: 'Save connection' }).click();
    expect(await errorOf(connection.getByRole('textbox', { name: 'Host' }))).toContain('host must be a hostname or an IP address');
    await checkConsolePage(page, 'byod-connection');
    await connection.getByRole('textbox', { name: 'Host' }).fill(LEGACY_MYSQL.host);
    await connection.getByRole('button', { name: 'Save connection' }).click();

    await page.getByRole('button', { name: 'Test the connection' }).click();
    const columns = page.getByRole('table', { name: 'Columns of customers' });
    await columns.getByRole('row', { name: /cust_no primary key integer int/i }).waitFor();
    for (const row of [
      /fname text varchar\(60\) no/,
      /lname text varchar\(60\) no/,
      /mail text varchar\(120\) yes/,
      /signed_up date date yes/,
    ])
      await columns.getByRole('row', { name: row }).waitFor();
    await checkConsolePage(page, 'byod-test');
    await page.getByRole('button', { name: 'Next: map the fields' }).click();

    // Last name onto a date column: the API refuses, and says so at the Last name field.
    const contacts = page.getByRole('group', { name: 'Contacts', exact: true });
    await contacts.getByRole('combobox', { name: 'Table' }).selectOption('customers');
    await contacts.getByRole('combobox', { name: 'Id (primary key)' }).selectOption('cust_no');
    await contacts.getByRole('combobox', { name: 'First name' }).selectOption('fname');
    await contacts.getByRole('combobox', { name: 'Last name' }).selectOption('signed_up');
    await contacts.getByRole('combobox', { name: 'E-mail' }).selectOption('mail');
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await page.getByRole('alert').getByText('Each problem is shown at its field below.').waitFor();
    expect(await errorOf(contacts.getByRole('combobox', { name: 'Last name' }))).toMatch(
      /"signed_up" is date \(date\); this field needs text/,
    );
    expect((await t.api.get('/api/tenant/data-source', { token: ownerToken })).body.mappings).toBeNull();
    await checkConsolePage(page, 'byod-mappings');

    await contacts.getByRole('combobox', { name: 'Last name' }).selectOption('lname');
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await page.getByRole('status').getByText('Mappings saved').waitFor();
    expect(await contacts.getByRole('combobox', { name: 'Last name' }).getAttribute('aria-invalid')).not.toBe('true');

    await page.getByRole('button', { name: 'Next: activate' }).click();
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByRole('dialog', { name: 'Activate?' }).getByRole('button', { name: 'Activate' }).click();
    await page
      .getByRole('status')
      .getByText(/^Active since .*contacts from customers are served from mysql at 127\.0\.0\.1:3306/)
      .waitFor();
    const served = page.getByRole('table', { name: 'Contacts served from your database' });
    await served.getByRole('row', { name: /Ada Lovelace ada@example\.test/ }).waitFor();
    await served.getByRole('row', { name: /Alan Turing/ }).waitFor();
    await checkConsolePage(page, 'byod-active');

    const listed = await t.api.get('/api/contacts', { token: ownerToken });
    expect(listed.body.items.map((contact: { lastName: string }) => contact.lastName).sort()).toEqual(['Lovelace', 'Turing']);
  });

  it('creates a webhook endpoint (secret shown once), test-sends to a local receiver, replays the delivery, rotates the secret and disables it', async () => {
    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Webhooks' }).click();
    const url = receiver.url('/console');
    await page.getByRole('textbox', { name: 'URL' }).fill(url);
    await page.getByRole('textbox', { name: 'Description' }).fill('CRM sync');
    // An event type no event has: refused at the Events field, and no endpoint is created.
    await page.getByRole('textbox', { name: 'Events' }).fill('contact.exploded');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    expect(await errorOf(page.getByRole('textbox', { name: 'Events' }))).toMatch(/contact\.exploded/);
    expect((await t.api.get('/api/webhooks', { token: ownerToken })).body).toEqual([]);
    await page.getByRole('textbox', { name: 'Events' }).fill('contact.*');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = (await page.getByTestId('shown-once').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.trust('/console', secret);

    await page.getByRole('link', { name: url }).click();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await deliveries.getByRole('row', { name: /webhook\.test succeeded 1/ }).waitFor({ timeout: 20_000 });
    const [received] = await receiver.waitFor((hook) => hook.path === '/console');
    expect(received.verifiedWith).toEqual([0]);
    await checkConsolePage(page, 'webhooks');

    await deliveries.getByRole('button', { name: 'Attempts' }).click();
    await page.getByRole('table', { name: 'Attempts' }).getByRole('cell', { name: '200', exact: true }).waitFor();
    await deliveries.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('dialog', { name: 'Replay?' }).getByRole('button', { name: 'Replay' }).click();
    await deliveries.getByRole('row', { name: /webhook\.test\s*replay succeeded/ }).waitFor({ timeout: 20_000 });
    const both = await receiver.waitFor((hook) => hook.path === '/console', 2);
    expect(both[1].headers['webhook-id']).toBe(both[0].headers['webhook-id']);

    // A new secret, shown once; the old one signs alongside it meanwhile, so the receiver verifies with either.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog', { name: 'Rotate secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const rotated = (await page.getByTestId('shown-once').textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    receiver.trust('/console', secret, rotated);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const [afterRotation] = (await receiver.waitFor((hook) => hook.path === '/console', 3)).slice(2);
    expect(afterRotation.verifiedWith).toEqual([0, 1]);

    await page.getByRole('button', { name: `Disable ${url}` }).click();
    await page.getByRole('button', { name: `Enable ${url}` }).waitFor();
    const [endpoint] = (await t.api.get('/api/webhooks', { token: ownerToken })).body;
    expect(endpoint).toMatchObject({ url, enabled: false, eventTypes: ['contact.*'] });
  });

  it('edits an endpoint (an internal URL refused at its field, then saved), shows why the platform disabled it, replays a time range (the count shown) and pages the delivery log', async () => {
    const webhooks = async () => (await t.api.get('/api/webhooks', { token: ownerToken })).body as Array<{ id: string; enabled: boolean }>;
    const oldUrl = receiver.url('/console');
    const edit = page.getByRole('dialog', { name: 'Edit endpoint' });
    await page.getByRole('button', { name: `Edit ${oldUrl}` }).click();
    await edit.getByRole('textbox', { name: 'URL' }).fill('http://169.254.169.254/latest/meta-data');
    await edit.getByRole('button', { name: 'Save' }).click();
    expect(await errorOf(edit.getByRole('textbox', { name: 'URL' }))).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
    expect(await webhooks()).toMatchObject([{ url: oldUrl, enabled: false }]);

    const url = receiver.url('/edited');
    await edit.getByRole('textbox', { name: 'URL' }).fill(url);
    await edit.getByRole('checkbox', { name: 'Enabled' }).check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Disable ${url}` }).waitFor();
    expect(await webhooks()).toMatchObject([{ url, enabled: true, description: 'CRM sync', eventTypes: ['contact.*'] }]);

    // Failing for days (the clock set back), the next failure makes the platform disable it: the console says why and since when.
    receiver.always('/edited', { status: 500 });
    await t.sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE tenant_id = $1`, [tenantId]);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await until(async () => (await webhooks())[0].enabled === false);
    await page.reload();
    const status = page.getByRole('table', { name: 'Endpoints' }).getByRole('row', { name: new RegExp(url) });
    await status.getByText('Disabled automatically: every delivery failed for 5 days').waitFor();
    await status.getByText(/^Disabled since /).waitFor();
    receiver.always('/edited', { status: 200 });
    await page.getByRole('button', { name: `Enable ${url}` }).click();
    await page.getByRole('button', { name: `Disable ${url}` }).waitFor();

    const since = new Date(Date.now() - 1000);
    const events: string[] = Array.from({ length: 11 }, () => randomUUID());
    await t.app.get(DataSource).transaction((manager) =>
      t.app.get(DomainEventLog).record(
        manager,
        events.map((id) => ({ id, tenantId, type: 'contact.created', version: 1, occurredAt: new Date(), data: {} })),
      ),
    );
    await receiver.waitFor((hook) => hook.path === '/edited' && events.includes(hook.headers['webhook-id'] as string), 11);
    // The range from just before those events to now (To left empty) holds them and nothing else of this tenant.
    const local = new Date(since.getTime() - since.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await page.getByLabel('From', { exact: true }).fill(local);
    await page.getByRole('button', { name: 'Replay the range' }).click();
    const confirm = page.getByRole('dialog', { name: 'Replay the range?' });
    await confirm.getByText(/that .*\/edited's filters \(contact\.\*\) match now is delivered again/).waitFor();
    await confirm.getByRole('button', { name: 'Replay the range' }).click();
    expect(await page.getByRole('status').filter({ hasText: 'queued' }).textContent()).toBe('11 deliveries queued.');
    await receiver.waitFor((hook) => hook.path === '/edited' && events.includes(hook.headers['webhook-id'] as string), 22);

    // 26 deliveries in all, 20 a page: the next page holds the oldest, down to the first test event.
    const [endpoint] = await webhooks();
    const all = (await t.api.get(`/api/webhooks/${endpoint.id}/deliveries?limit=100`, { token: ownerToken })).body.items;
    expect(all).toHaveLength(26);
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await page.getByRole('button', { name: 'Next page' }).click();
    // The first page's 20 rows stay until the next page replaces them: they alone would satisfy a wait for a 6th row.
    await deliveries.locator('tbody tr').nth(6).waitFor({ state: 'detached' });
    await deliveries.locator('tbody tr').nth(5).waitFor();
    expect(await deliveries.locator('tbody tr').count()).toBe(6);
    expect(await deliveries.locator('tbody tr').last().textContent()).toMatch(/^webhook\.test\s*succeeded/);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  });

  it('creates an API key with chosen permissions (shown once) that reads the contacts, then revokes it', async () => {
    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('console-reader');
    await page.getByRole('checkbox', { name: 'contacts.read' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('shown-once').textContent())!.trim();
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('row', { name: /console-reader .* contacts\.read active/ }).waitFor();
    const viaKey = await t.api.get('/api/contacts', { token: key });
    expect(viaKey.status).toBe(200);
    await checkConsolePage(page, 'api-keys');

    await keys.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke?' }).getByRole('button', { name: 'Revoke' }).click();
    await keys.getByRole('row', { name: /console-reader .* revoked/ }).waitFor();
    expect((await t.api.get('/api/contacts', { token: key })).status).toBe(401);
  });
  it("gives a platform admin the platform's webhooks and API keys on /control, apart from the tenant's", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'E-mail' }).fill(TEST_ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed out on the API keys page, they land there again, now on the platform's keys.
    await page.getByRole('heading', { name: 'API keys of the platform' }).waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('platform admin');
    const nav = page.getByRole('navigation', { name: 'Console pages' });
    expect(await nav.getByRole('link', { name: 'Own database' }).count()).toBe(0);

    await nav.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks of the platform' }).waitFor();
    // The tenant's endpoint is not the platform's.
    await page.getByText('No endpoint yet.').waitFor();
    const url = receiver.url('/platform');
    await page.getByRole('textbox', { name: 'URL' }).fill(url);
    await page.getByRole('textbox', { name: 'Events' }).fill('tenant.*');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    expect((await page.getByTestId('shown-once').textContent())!.trim()).toMatch(/^whsec_/);
    await page.getByRole('table', { name: 'Endpoints' }).getByRole('link', { name: url }).waitFor();
    const admin = await adminToken(t.api);
    expect((await t.api.get('/control/webhooks', { token: admin })).body.map((hook: { url: string }) => hook.url)).toEqual([url]);
    expect((await t.api.get('/api/webhooks', { token: ownerToken })).body.map((hook: { url: string }) => hook.url)).not.toContain(url);

    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys of the platform' }).waitFor();
    expect(await page.getByRole('group', { name: 'Permissions' }).count()).toBe(0);
    await page.getByRole('textbox', { name: 'Name' }).fill('console-platform');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('shown-once').textContent())!.trim();
    await page
      .getByRole('table', { name: 'API keys' })
      .getByRole('row', { name: /console-platform .* active/ })
      .waitFor();
    expect((await t.api.get('/control/tenants', { token: key })).status).toBe(200);
  });

  it('gives a custom role reading webhooks a read-only webhooks page (each change disabled, saying why) and offers its keys only the permissions it holds', async () => {
    const granted = ['tenant.read', 'webhooks.read', 'api_keys.manage'];
    expect((await t.api.post('/api/roles', { name: 'integrator', permissions: granted }, { token: ownerToken })).status).toBe(201);
    const integrator = { email: `${unique('integrator')}@example.test`, password: 'a-long-enough-password' };
    await inviteIntoTenant(t.api, ownerToken, integrator.email, 'integrator', integrator.password);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'E-mail' }).fill(integrator.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(integrator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed out on the API keys page, they land there: a key is offered only what their role holds.
    await page.getByRole('heading', { name: `API keys of ${tenantName}` }).waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe(`integrator of ${tenantName}`);
    const offered = await page.getByRole('group', { name: 'Permissions' }).getByRole('checkbox').all();
    expect((await Promise.all(offered.map((box) => box.getAttribute('value')))).sort()).toEqual([...granted].sort());
    const nav = page.getByRole('navigation', { name: 'Console pages' });
    expect(await nav.getByRole('link', { name: 'Own database' }).count()).toBe(0);

    // Read-only webhooks: the endpoints and the delivery log shown, every change disabled and described by the one reason.
    await nav.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: `Webhooks of ${tenantName}` }).waitFor();
    const lacksManage = `Your role integrator in ${tenantName} lacks webhooks.manage.`;
    const reason = page.getByRole('note').filter({ hasText: lacksManage });
    const url = receiver.url('/edited');
    await page.getByRole('table', { name: 'Endpoints' }).getByRole('link', { name: url }).click();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await deliveries
      .getByRole('row', { name: /contact\.created\s*succeeded/ })
      .first()
      .waitFor();
    const reasonId = await reason.getAttribute('id');
    const changes = [
      page.getByRole('button', { name: 'Create endpoint' }),
      page.getByRole('button', { name: `Edit ${url}` }),
      page.getByRole('button', { name: `Disable ${url}` }),
      page.getByRole('button', { name: 'Rotate secret' }),
      page.getByRole('button', { name: 'Delete' }),
      page.getByRole('button', { name: 'Send a test event' }),
      page.getByRole('button', { name: 'Replay the range' }),
      deliveries.getByRole('button', { name: 'Replay' }).first(),
    ];
    for (const change of changes) {
      expect(await change.isDisabled()).toBe(true);
      expect(await change.getAttribute('aria-describedby')).toBe(reasonId);
    }
    await deliveries.getByRole('button', { name: 'Attempts' }).first().click();
    await page.getByRole('table', { name: 'Attempts' }).getByRole('cell', { name: '200', exact: true }).first().waitFor();
    await checkConsolePage(page, 'webhooks-read-only');

    await page.getByTestId('signed-in-as').click();
    const permissions = page.getByRole('table', { name: 'Permissions of your role' }).getByRole('row');
    await permissions.getByText('webhooks.read', { exact: true }).waitFor();
    expect(await permissions.count()).toBe(1 + granted.length);
    const consoleActions = page.getByRole('table', { name: 'What the console lets you do' });
    await consoleActions.getByRole('row', { name: 'See webhooks and their delivery logs Yes' }).waitFor();
    await consoleActions.getByRole('row', { name: `Create, change, test and replay webhooks No: ${lacksManage}` }).waitFor();
    await consoleActions.getByRole('row', { name: 'Manage API keys Yes' }).waitFor();
    await consoleActions.getByRole('row', { name: /Bring the tenant’s own database No: .*lacks data_source\.manage/ }).waitFor();
    await checkConsolePage(page, 'access');
  });
});
