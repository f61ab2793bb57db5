import { adminToken, createTenant, createUser, loginAs, unique } from './support/factories';
import { Mailbox } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** Passwords are set only by their holders: by a mailed one-time link or knowing the current one (real HTTP, real SMTP). */
describe('password recovery and change', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  const resetLinkFor = async (email: string) => Mailbox.tokenIn(await t.mailbox.take(email, /Reset your/));

  it('answers a reset request alike for every e-mail, and mails a link only to an existing account', async () => {
    const user = await createUser(t.api, admin);
    const stranger = `${unique('nobody')}@example.test`;
    const known = await t.api.post('/auth/password/forgot', { email: user.email });
    const unknown = await t.api.post('/auth/password/forgot', { email: stranger });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await resetLinkFor(user.email);
    expect(await t.sql('SELECT id FROM mail_outbox WHERE recipient = $1', [stranger])).toEqual([]);
  });

  it('sets the new password with the mailed link once, and ends every session of the account', async () => {
    const user = await createUser(t.api, admin);
    const session = await loginAs(t.api, user.email, user.password);
    await t.api.post('/auth/password/forgot', { email: user.email });
    const link = await resetLinkFor(user.email);
    expect((await t.api.post('/auth/password/reset', { token: link, password: 'a-brand-new-password' })).status).toBe(204);
    expect((await t.api.get('/auth/me', { token: session.accessToken })).status).toBe(401);

    expect((await t.api.post('/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    expect((await loginAs(t.api, user.email, 'a-brand-new-password')).accessToken).toBeTruthy();
    expect((await t.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    const again = await t.api.post('/auth/password/reset', { token: link, password: 'yet-another-password' });
    expect(again.status).toBe(400);
    expect(again.body.details).toEqual([{ field: 'token', problems: ['invalid or expired'] }]);
    const [audit] = await t.sql("SELECT actor_user_id, changes FROM audit_log WHERE action = 'user.password_reset' AND target_id = $1", [
      user.id,
    ]);
    expect(audit.actor_user_id).toBe(user.id);
    expect(JSON.stringify(audit.changes)).not.toContain('a-brand-new-password');
  });

  it('keeps only the newest link working, refuses an expired one, and stores no token in clear', async () => {
    const user = await createUser(t.api, admin);
    await t.api.post('/auth/password/forgot', { email: user.email });
    const first = await resetLinkFor(user.email);
    await t.api.post('/auth/password/forgot', { email: user.email });
    const second = await resetLinkFor(user.email);
    expect((await t.api.post('/auth/password/reset', { token: first, password: 'a-brand-new-password' })).status).toBe(400);

    const stored = await t.sql('SELECT token_hash FROM account_tokens WHERE email = $1', [user.email]);
    expect(JSON.stringify(stored)).not.toContain(second);
    const mails = await t.sql('SELECT body_encrypted, sent_at FROM mail_outbox WHERE recipient = $1', [user.email]);
    expect(mails).toHaveLength(3);
    expect(mails.every((mail) => mail.sent_at !== null && mail.body_encrypted === null)).toBe(true);

    await t.sql("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE email = $1", [user.email]);
    expect((await t.api.post('/auth/password/reset', { token: second, password: 'a-brand-new-password' })).status).toBe(400);
    expect((await loginAs(t.api, user.email, user.password)).accessToken).toBeTruthy();
  });

  it('changes the signed-in user’s password only with the current one, ending every session', async () => {
    const user = await createUser(t.api, admin);
    const session = await loginAs(t.api, user.email, user.password);
    const wrong = await t.api.post(
      '/auth/password/change',
      { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' },
      { token: session.accessToken },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'currentPassword', problems: ['wrong password'] }]);
    const changed = await t.api.post(
      '/auth/password/change',
      { currentPassword: user.password, newPassword: 'a-brand-new-password' },
      { token: session.accessToken },
    );
    expect(changed.status).toBe(204);
    expect((await t.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await loginAs(t.api, user.email, 'a-brand-new-password')).accessToken).toBeTruthy();
    const ended = await t.api.post(
      '/auth/password/change',
      { currentPassword: 'x', newPassword: 'short-but-long-enough' },
      { token: session.accessToken },
    );
    expect(ended.status).toBe(401);
    expect(ended.body.message).toBe('The session has ended');
  });

  it('offers no way for an admin to set or reset another person’s password', async () => {
    const user = await createUser(t.api, admin);
    const patched = await t.api.patch(`/control/users/${user.id}`, { password: 'chosen-by-the-admin' }, { token: admin });
    expect(patched.status).toBe(400);
    expect(patched.body.message).toMatch(/password should not exist/);
    expect((await t.api.post('/auth/login', { email: user.email, password: 'chosen-by-the-admin' })).status).toBe(401);
  });

  it('mails nothing for a refused invitation: the mail and its change commit together', async () => {
    const email = `${unique('nomail')}@example.test`;
    const tenant = await createTenant(t.api, admin);
    const refused = await t.api.post(`/control/tenants/${tenant.id}/invitations`, { email, role: 'no_such_role' }, { token: admin });
    expect(refused.status).toBe(400);
    expect(await t.sql('SELECT id FROM mail_outbox WHERE recipient = $1', [email])).toEqual([]);
    expect(await t.sql('SELECT id FROM invitations WHERE email = $1', [email])).toEqual([]);
  });
});
