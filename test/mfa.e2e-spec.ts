import { generateSync } from 'otplib';
import { runCli } from './support/app-process';
import { acceptInvitation, adminToken, createUser, loginAs, unique } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

const PERIOD = 30;

/** The code an authenticator app shows `stepsAhead` time steps from now (the server accepts ±1 step). */
function totp(secret: string, stepsAhead = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * PERIOD });
}

/** A code that is not the secret's at any accepted step. */
function wrongCode(secret: string): string {
  const accepted = new Set([-1, 0, 1, 2].map((steps) => totp(secret, steps)));
  for (let candidate = 0; ; candidate += 1) {
    const code = String(candidate).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/** Enrols the signed-in user: setup, then confirm with the current code. */
async function enrol(api: HttpClient, token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await api.post('/auth/mfa/totp/setup', {}, { token });
  expect(setup.status).toBe(201);
  const confirmed = await api.post('/auth/mfa/totp/confirm', { code: totp(setup.body.secret) }, { token });
  expect(confirmed.status).toBe(200);
  return { secret: setup.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/** The password step of a login with a second factor: answers the mfaToken. */
async function passwordStep(api: HttpClient, email: string, password: string): Promise<string> {
  const response = await api.post('/auth/login', { email, password });
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), expiresIn: 300 });
  return response.body.mfaToken;
}

describe('TOTP second factor', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' } });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  it('enrols: setup gives an encrypted-at-rest secret that counts only once confirmed with a code, which answers 10 recovery codes', async () => {
    const user = await createUser(t.api, admin);
    const session = await loginAs(t.api, user.email, user.password);
    const token = session.accessToken;
    expect((await t.api.get('/auth/me', { token })).body.mfaEnabled).toBe(false);

    const setup = await t.api.post('/auth/mfa/totp/setup', {}, { token });
    expect(setup.status).toBe(201);
    expect(setup.body).toMatchObject({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), digits: 6, period: 30 });
    expect(setup.body.otpauthUri).toBe(
      `otpauth://totp/Tenantry:${encodeURIComponent(user.email)}?secret=${setup.body.secret}&issuer=Tenantry`,
    );
    const [stored] = await t.sql('SELECT secret_encrypted, enabled_at FROM user_totp WHERE user_id = $1', [user.id]);
    expect(stored.secret_encrypted).toMatch(/^v1:test1:/);
    expect(stored.secret_encrypted).not.toContain(setup.body.secret);
    expect(stored.enabled_at).toBeNull();
    // Pending: the password alone still signs in.
    expect((await loginAs(t.api, user.email, user.password)).accessToken).toEqual(expect.any(String));

    const wrong = await t.api.post('/auth/mfa/totp/confirm', { code: wrongCode(setup.body.secret) }, { token });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'code', problems: ['wrong or already used'] }]);
    const malformed = await t.api.post('/auth/mfa/totp/confirm', { code: '12ab56' }, { token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details[0].field).toBe('code');

    const confirmed = await t.api.post('/auth/mfa/totp/confirm', { code: totp(setup.body.secret) }, { token });
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const hashes = await t.sql('SELECT code_hash FROM user_recovery_codes WHERE user_id = $1', [user.id]);
    expect(hashes).toHaveLength(10);
    for (const { code_hash } of hashes) expect(codes.some((code) => code_hash.includes(code.replace(/-/g, '')))).toBe(false);

    expect((await t.api.get('/auth/me', { token })).body.mfaEnabled).toBe(true);
    expect((await t.api.post('/auth/mfa/totp/confirm', { code: totp(setup.body.secret, 1) }, { token })).status).toBe(409);
    expect((await t.api.post('/auth/mfa/totp/setup', {}, { token })).status).toBe(409);
    // Sessions that did not use the factor end.
    expect((await t.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);

    const [audit] = await t.sql(`SELECT actor_user_id, changes FROM audit_log WHERE action = 'auth.mfa.enable' AND target_id = $1`, [
      user.id,
    ]);
    expect(audit).toMatchObject({ actor_user_id: user.id, changes: { factor: 'totp', recoveryCodesIssued: 10 } });
  });

  it('asks for a code after the right password; the mfaToken is no bearer token; a code works once', async () => {
    const user = await createUser(t.api, admin);
    const { secret } = await enrol(t.api, (await loginAs(t.api, user.email, user.password)).accessToken);

    const mfaToken = await passwordStep(t.api, user.email, user.password);
    expect((await t.api.get('/auth/me', { token: mfaToken })).status).toBe(401);

    const code = totp(secret, 1);
    const signedIn = await t.api.post('/auth/login/mfa', { mfaToken, code });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ tokenType: 'Bearer', refreshToken: expect.any(String), roles: [] });
    expect(signedIn.body.scope).toBeUndefined();
    const me = await t.api.get('/auth/me', { token: signedIn.body.accessToken });
    expect(me.body).toMatchObject({ id: user.id, mfaEnabled: true });
    // An access token is no mfaToken either.
    expect((await t.api.post('/auth/login/mfa', { mfaToken: signedIn.body.accessToken, code: totp(secret) })).status).toBe(401);

    const replay = await t.api.post('/auth/login/mfa', { mfaToken: await passwordStep(t.api, user.email, user.password), code });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toBe('The code is wrong or was already used');
    // The confirm code's step is older than the one used: refused too.
    expect((await t.api.post('/auth/login/mfa', { mfaToken, code: totp(secret) })).status).toBe(401);
  });

  it('counts wrong codes as failed logins: 401 each, then 429 for the account even with the right code or password', async () => {
    const user = await createUser(t.api, admin);
    const { secret } = await enrol(t.api, (await loginAs(t.api, user.email, user.password)).accessToken);
    const mfaToken = await passwordStep(t.api, user.email, user.password);
    for (let i = 0; i < 3; i += 1) {
      const wrong = await t.api.post('/auth/login/mfa', { mfaToken, code: wrongCode(secret) });
      expect(wrong.status).toBe(401);
    }
    const throttled = await t.api.post('/auth/login/mfa', { mfaToken, code: totp(secret, 1) });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.api.post('/auth/login', { email: user.email, password: user.password })).status).toBe(429);
    const failures = await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND target_id = $1`, [
      user.id,
    ]);
    expect(failures[0].n).toBe(3);
  });

  it('does not let the password step reset the failure count that wrong codes built up', async () => {
    const user = await createUser(t.api, admin);
    const { secret } = await enrol(t.api, (await loginAs(t.api, user.email, user.password)).accessToken);
    for (let i = 0; i < 3; i += 1) {
      const mfaToken = await passwordStep(t.api, user.email, user.password);
      expect((await t.api.post('/auth/login/mfa', { mfaToken, code: wrongCode(secret) })).status).toBe(401);
    }
    expect((await t.api.post('/auth/login', { email: user.email, password: user.password })).status).toBe(429);
  });

  it('signs in with a recovery code once, audits its use without the code, and refuses it the second time', async () => {
    const user = await createUser(t.api, admin);
    const { recoveryCodes } = await enrol(t.api, (await loginAs(t.api, user.email, user.password)).accessToken);
    const recoveryCode = recoveryCodes[3];

    const signedIn = await t.api.post('/auth/login/mfa', { mfaToken: await passwordStep(t.api, user.email, user.password), recoveryCode });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));

    const again = await t.api.post('/auth/login/mfa', {
      mfaToken: await passwordStep(t.api, user.email, user.password),
      recoveryCode: recoveryCode.toUpperCase(),
    });
    expect(again.status).toBe(401);

    const audit = await t.sql(`SELECT changes FROM audit_log WHERE action = 'auth.mfa.recovery_code_used' AND target_id = $1`, [user.id]);
    expect(audit).toEqual([{ changes: { remaining: 9 } }]);
    const everything = JSON.stringify(await t.sql('SELECT changes FROM audit_log WHERE target_id = $1', [user.id]));
    for (const code of recoveryCodes) expect(everything).not.toContain(code);
  });

  it('refuses a second factor that is missing, doubled or wrong, each with a 400 naming the field', async () => {
    const user = await createUser(t.api, admin);
    const token = (await loginAs(t.api, user.email, user.password)).accessToken;
    const { secret, recoveryCodes } = await enrol(t.api, token);
    const mfaToken = await passwordStep(t.api, user.email, user.password);
    const neither = await t.api.post('/auth/login/mfa', { mfaToken });
    expect(neither.status).toBe(400);
    expect(neither.body.details[0].field).toBe('code');
    expect((await t.api.post('/auth/login/mfa', { mfaToken, code: totp(secret, 1), recoveryCode: recoveryCodes[0] })).status).toBe(400);
    const wrongRecovery = await t.api.request<any>('DELETE', '/auth/mfa/totp', { recoveryCode: 'aaaaa-bbbbb-ccccc-ddddd' }, { token });
    expect(wrongRecovery.status).toBe(400);
    expect(wrongRecovery.body.details).toEqual([{ field: 'recoveryCode', problems: ['wrong or already used'] }]);
    expect((await t.api.post('/auth/login/mfa', { mfaToken, code: 'abc' })).status).toBe(400);
  });

  it('turns off with a current code: login answers tokens again, /auth/me says so, and the change is audited', async () => {
    const user = await createUser(t.api, admin);
    const token = (await loginAs(t.api, user.email, user.password)).accessToken;
    const { secret } = await enrol(t.api, token);

    expect((await t.api.request('DELETE', '/auth/mfa/totp', {}, { token })).status).toBe(400);
    expect((await t.api.request('DELETE', '/auth/mfa/totp', { code: wrongCode(secret) }, { token })).status).toBe(400);
    expect((await t.api.request('DELETE', '/auth/mfa/totp', { code: totp(secret, 1) }, { token })).status).toBe(204);
    expect((await t.api.request('DELETE', '/auth/mfa/totp', { code: totp(secret, 1) }, { token })).status).toBe(409);

    const session = await loginAs(t.api, user.email, user.password);
    expect(session.accessToken).toEqual(expect.any(String));
    expect((await t.api.get('/auth/me', { token: session.accessToken })).body.mfaEnabled).toBe(false);
    expect(
      await t.sql('SELECT 1 FROM user_totp WHERE user_id = $1 UNION ALL SELECT 1 FROM user_recovery_codes WHERE user_id = $1', [user.id]),
    ).toEqual([]);
    const [audit] = await t.sql(`SELECT changes FROM audit_log WHERE action = 'auth.mfa.disable' AND target_id = $1`, [user.id]);
    expect(audit.changes).toEqual({ factor: 'totp', provedWith: 'totp' });
  });

  it('turns off with a recovery code when the authenticator is lost', async () => {
    const user = await createUser(t.api, admin);
    const token = (await loginAs(t.api, user.email, user.password)).accessToken;
    const { recoveryCodes } = await enrol(t.api, token);
    expect((await t.api.request('DELETE', '/auth/mfa/totp', { recoveryCode: recoveryCodes[9] }, { token })).status).toBe(204);
    expect((await t.api.get('/auth/me', { token })).body.mfaEnabled).toBe(false);
  });
});

describe('REQUIRE_ADMIN_MFA=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The test app registers its database server as the platform admin, which this flag would refuse: do it first without.
    const setup = await startTestApp();
    await setup.stop();
    t = await startTestApp({ databaseUrl: setup.databaseUrl, env: { REQUIRE_ADMIN_MFA: 'true' } });
  });

  afterAll(() => t.close());

  it('keeps a platform admin without a second factor out of /control until enrolled, then lets it in with a code', async () => {
    const restricted = await loginAs(t.api, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(restricted).toMatchObject({ roles: ['platform_admin'], scope: 'mfa-enrolment' });
    expect(claimsOf(restricted.accessToken).scope).toBe('mfa-enrolment');
    const token = restricted.accessToken;

    const refused = await t.api.get('/control/tenants', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/enrol a second factor.*POST \/auth\/mfa\/totp\/setup/);
    expect((await t.api.post('/control/invitations', { email: 'someone@example.test' }, { token })).status).toBe(403);
    expect((await t.api.get('/auth/me', { token })).body).toMatchObject({ platformRole: 'platform_admin', mfaEnabled: false });
    // Refreshing does not lift the restriction.
    const refreshed = await t.api.post('/auth/refresh', { refreshToken: restricted.refreshToken });
    expect(refreshed.body.scope).toBe('mfa-enrolment');
    expect((await t.api.get('/control/tenants', { token: refreshed.body.accessToken })).status).toBe(403);

    const { secret } = await enrol(t.api, token);
    const mfaToken = await passwordStep(t.api, TEST_ADMIN.email, TEST_ADMIN.password);
    const full = await t.api.post('/auth/login/mfa', { mfaToken, code: totp(secret, 1) });
    expect(full.status).toBe(200);
    expect(full.body.scope).toBeUndefined();
    expect(claimsOf(full.body.accessToken).scope).toBeUndefined();
    expect((await t.api.get('/control/tenants', { token: full.body.accessToken })).status).toBe(200);

    // Only platform admins are held to it.
    const user = await createUser(t.api, full.body.accessToken);
    const session = await loginAs(t.api, user.email, user.password);
    expect((session as { scope?: string }).scope).toBeUndefined();
    expect((await t.api.get('/auth/me', { token: session.accessToken })).status).toBe(200);
  });

  it('lets an operator remove the second factor of an admin who lost it (CLI admins reset-mfa), back to enrolment-only', async () => {
    const email = `${unique('ops')}@example.test`;
    const password = 'a-long-enough-password';
    expect((await runCli(t.databaseUrl, ['admins', 'invite', '--email', email])).code).toBe(0);
    await acceptInvitation(t.api, email, password);
    await enrol(t.api, (await loginAs(t.api, email, password)).accessToken);
    await passwordStep(t.api, email, password);

    const reset = await runCli(t.databaseUrl, ['admins', 'reset-mfa', '--email', email]);
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringContaining(`TOTP of ${email} removed`) });
    const session = await loginAs(t.api, email, password);
    expect((session as { scope?: string }).scope).toBe('mfa-enrolment');
    const [user] = await t.sql('SELECT id FROM users WHERE email = $1', [email]);
    const audit = await t.sql(`SELECT changes FROM audit_log WHERE action = 'auth.mfa.reset' AND target_id = $1`, [user.id]);
    expect(audit).toEqual([{ changes: { factor: 'totp', by: 'cli' } }]);
  }, 60_000);
});
