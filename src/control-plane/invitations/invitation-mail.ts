import { Mail } from '../../platform/mail/mail-outbox';
import { Tenant } from '../schema/tenant.entity';
import { User } from '../schema/user.entity';
import { Invitation } from '../schema/invitation.entity';

interface InvitationMailInput {
  invitation: Invitation;
  tenant: Tenant | null;
  inviter: User | null;
  token: string;
  publicUrl: string;
}

/**
 * The invitation as mailed. The token rides in the link's fragment, which browsers do not send
 * to servers, so it stays out of access logs; the API route is named for clients without a console.
 */
export function invitationMail({ invitation, tenant, inviter, token, publicUrl }: InvitationMailInput): Mail {
  const who = inviter ? inviter.name || inviter.email : 'A platform administrator';
  const what = tenant
    ? `join ${tenant.name} as ${invitation.role}`
    : invitation.platformRole
      ? 'open a platform administrator account'
      : 'open an account';
  return {
    kind: 'invitation',
    to: invitation.email,
    subject: tenant ? `You are invited to ${tenant.name}` : 'You are invited to Tenantry',
    text: [
      `${who} invited you to ${what}.`,
      '',
      `Accept: ${publicUrl}/admin/#/invitation?token=${token}`,
      '',
      `Or with the API: POST ${publicUrl}/auth/invitations/accept with {"token": "${token}", "password": "…"} for a new account,`,
      `or POST ${publicUrl}/auth/invitations/accept-existing with {"token": "${token}"} while signed in.`,
      '',
      `The invitation expires ${invitation.expiresAt.toISOString()}. If you did not expect it, ignore this mail.`,
    ].join('\n'),
  };
}
