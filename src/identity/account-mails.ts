import { Mail } from '../platform/mail/mail-outbox';

/** The mails that prove a mailbox: each carries a one-time link whose token rides in the fragment (kept out of server logs). */
export const accountMails = {
  registration: (to: string, company: string, token: string, publicUrl: string, expiresAt: Date): Mail => ({
    kind: 'registration',
    to,
    subject: `Confirm your e-mail to create ${company}`,
    text: [
      `Someone (hopefully you) asked to create ${company} on Tenantry with this e-mail address.`,
      '',
      `Confirm: ${publicUrl}/admin/#/verify-registration?token=${token}`,
      `Or with the API: POST ${publicUrl}/auth/register/verify with {"token": "${token}"}`,
      '',
      `The link works once, until ${expiresAt.toISOString()}. If it was not you, ignore this mail: nothing is created.`,
    ].join('\n'),
  }),

  accountExists: (to: string, publicUrl: string): Mail => ({
    kind: 'account_exists',
    to,
    subject: 'You already have a Tenantry account',
    text: [
      'Someone asked to register with this e-mail address, which already has an account, so nothing was created.',
      `Sign in at ${publicUrl}/admin/ — or, if you forgot your password: POST ${publicUrl}/auth/password/forgot.`,
      'If it was not you, ignore this mail.',
    ].join('\n'),
  }),

  passwordReset: (to: string, token: string, publicUrl: string, expiresAt: Date): Mail => ({
    kind: 'password_reset',
    to,
    subject: 'Reset your Tenantry password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Tenantry account.',
      '',
      `Choose a new password: ${publicUrl}/admin/#/reset-password?token=${token}`,
      `Or with the API: POST ${publicUrl}/auth/password/reset with {"token": "${token}", "password": "…"}`,
      '',
      `The link works once, until ${expiresAt.toISOString()}; every session of the account ends when it is used.`,
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  }),
};
