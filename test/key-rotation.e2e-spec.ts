import { generateSync } from 'otplib';
import { runCli } from './support/app-process';
import { adminToken, createTenant, createUser, loginAs, waitForProvisioning } from './support/factories';
import { startTestApp, TEST_SECRETS_KEYS, TestApp } from './support/test-app';

const NEW_KEY = `test2:${Buffer.alloc(32, 9).toString('base64')}`;

/** `npm run cli -- keys rotate`: every stored credential moves to the new key while the API serves. */
describe('secret key rotation', () => {
  let first: TestApp;
  const others: TestApp[] = [];

  beforeAll(async () => {
    first = await startTestApp();
  });
  afterAll(async () => {
    for (const app of others) await app.stop();
    await first.close();
  });

  const keyIds = async () =>
    (
      await first.sql(
        `SELECT split_part(admin_password_encrypted, ':', 2) AS key FROM database_servers
         UNION ALL SELECT split_part(app_password_encrypted, ':', 2) FROM tenant_pools
         UNION ALL SELECT split_part(database_password_encrypted, ':', 2) FROM tenants WHERE database_password_encrypted IS NOT NULL
         UNION ALL SELECT split_part(settings_encrypted, ':', 2) FROM tenant_data_sources
         UNION ALL SELECT split_part(secret_encrypted, ':', 2) FROM user_totp`,
      )
    ).map((row) => row.key as string);

  it('re-encrypts every credential under the new key with zero failed requests, after which the old key can go', async () => {
    const admin = await adminToken(first.api);
    const dedicated = await createTenant(first.api, admin, { placement: 'dedicated' });
    const pooled = await createTenant(first.api, admin, { placement: 'pooled' });
    const byod = await createTenant(first.api, admin, { placement: 'byod' });
    const source = {
      kind: 'mysql',
      readOnly: true,
      connection: { host: 'db.customer.example', port: 3306, database: 'crm', user: 'reader', password: 'customer-secret' },
    };
    expect((await first.api.put(`/control/tenants/${byod.id}/data-source`, source, { token: admin })).status).toBe(200);
    const withTotp = await createUser(first.api, admin);
    const totpToken = (await loginAs(first.api, withTotp.email, withTotp.password)).accessToken;
    const { secret } = (await first.api.post('/auth/mfa/totp/setup', {}, { token: totpToken })).body;
    expect((await first.api.post('/auth/mfa/totp/confirm', { code: generateSync({ secret }) }, { token: totpToken })).status).toBe(200);
    expect(new Set(await keyIds())).toEqual(new Set(['test1']));

    // The new keyring is deployed first: new key active, old key still readable.
    const serving = await startTestApp({ databaseUrl: first.databaseUrl, secretsKeys: `${NEW_KEY},${TEST_SECRETS_KEYS}` });
    others.push(serving);
    const sessions = await Promise.all(
      [dedicated, pooled].map(async (tenant) => (await loginAs(serving.api, tenant.admin.email, tenant.admin.password)).accessToken),
    );
    let rotating = true;
    let requests = 0;
    let failures = 0;
    const traffic = (async () => {
      while (rotating) {
        const responses = await Promise.all(sessions.map((token) => serving.api.get('/api/notes', { token })));
        requests += responses.length;
        failures += responses.filter((response) => response.status !== 200).length;
      }
    })();
    const servingAdmin = await adminToken(serving.api);
    const [rotation, createdMeanwhile] = await Promise.all([
      runCli(first.databaseUrl, ['keys', 'rotate'], { SECRETS_KEYS: `${NEW_KEY},${TEST_SECRETS_KEYS}` }),
      createTenant(serving.api, servingAdmin, { placement: 'dedicated' }),
    ]);
    rotating = false;
    await traffic;

    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toContain('Re-encrypting stored credentials under key "test2"');
    expect(requests).toBeGreaterThan(0);
    expect(failures).toBe(0);
    expect(new Set(await keyIds())).toEqual(new Set(['test2']));
    const [audit] = await first.sql("SELECT changes FROM audit_log WHERE action = 'secrets.rotate'");
    expect(JSON.stringify(audit.changes)).not.toMatch(/password/i);

    // With only the new key, a fresh process reaches every database and provisions new ones.
    const newKeyOnly = await startTestApp({ databaseUrl: first.databaseUrl, secretsKeys: NEW_KEY });
    others.push(newKeyOnly);
    for (const tenant of [dedicated, pooled, createdMeanwhile]) {
      const token = (await loginAs(newKeyOnly.api, tenant.admin.email, tenant.admin.password)).accessToken;
      expect((await newKeyOnly.api.post('/api/notes', { title: 'after rotation', body: '' }, { token })).status).toBe(201);
    }
    const newAdmin = await adminToken(newKeyOnly.api);
    expect((await newKeyOnly.api.get(`/control/tenants/${byod.id}/data-source`, { token: newAdmin })).body).toMatchObject({
      kind: 'mysql',
      connection: { host: 'db.customer.example' },
    });
    const { mfaToken } = (await newKeyOnly.api.post('/auth/login', { email: withTotp.email, password: withTotp.password })).body;
    const nextCode = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect((await newKeyOnly.api.post('/auth/login/mfa', { mfaToken, code: nextCode })).status).toBe(200);
    const registered = await newKeyOnly.api.post(
      '/control/tenants',
      {
        slug: `rotated-${Date.now()}`,
        name: 'Rotated',
        plan: 'starter',
        placement: 'dedicated',
        admin: { email: `rotated-${Date.now()}@example.test` },
      },
      { token: newAdmin },
    );
    expect((await waitForProvisioning(newKeyOnly.api, newAdmin, registered.body.id)).status).toBe('active');

    const again = await runCli(first.databaseUrl, ['keys', 'status'], { SECRETS_KEYS: NEW_KEY });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('test1');
  }, 120_000);

  it('reports a credential that no configured key opens and exits non-zero, changing nothing', async () => {
    const before = await keyIds();
    const unknownKey = `test3:${Buffer.alloc(32, 3).toString('base64')}`;
    const rotation = await runCli(first.databaseUrl, ['keys', 'rotate'], { SECRETS_KEYS: unknownKey });
    expect(rotation.code).toBe(1);
    expect(rotation.stderr).toContain('No configured key opens');
    expect(await keyIds()).toEqual(before);
  }, 60_000);
});
