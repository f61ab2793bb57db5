import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { removeTotp } from '../identity/mfa/totp-removal';
import { AuditService } from '../control-plane/audit/audit.service';
import { ControlPlaneTransactions } from '../control-plane/transactions/control-plane-transactions';
import { SecondFactors } from '../control-plane/users/second-factors';
import { flattenValidationErrors } from '../platform/errors/validation-exception.factory';
import { InviteToPlatformDto } from '../control-plane/invitations/dto/invitation.dto';
import { InvitationsService } from '../control-plane/invitations/invitations.service';
import { UsersService } from '../control-plane/users/users.service';
import { PasswordService } from '../identity/password.service';
import { CliUsageError, invalidFields } from './cli-arguments';
import { CliOutput } from './cli-output';

@SubCommand({ name: 'invite', description: 'Invite a platform admin: the mailed link lets them choose their own password' })
export class AdminsInviteCommand extends CommandRunner {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_parameters: string[], options: { email?: string }): Promise<void> {
    const dto = plainToInstance(InviteToPlatformDto, { email: options.email, platformRole: 'platform_admin' });
    const problems = flattenValidationErrors(await validate(dto));
    if (problems.length > 0) throw invalidFields(problems);
    const invitation = await this.invitations.invite({
      tenantId: null,
      role: null,
      email: dto.email,
      platformRole: 'platform_admin',
      invitedBy: null,
    });
    const { id, email, expiresAt } = invitation;
    this.output.result({ invitation: { id, email, platformRole: 'platform_admin', expiresAt } }, () =>
      console.log(`Invitation ${id} for ${email} recorded; a running Tenantry process mails it (expires ${expiresAt.toISOString()})`),
    );
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }
}

/** Break-glass for a lost authenticator and lost recovery codes: with REQUIRE_ADMIN_MFA, every admin could otherwise be locked out. */
@SubCommand({
  name: 'reset-mfa',
  description: "Remove a user's TOTP second factor and recovery codes; they sign in with the password and enrol again",
})
export class AdminsResetMfaCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: ControlPlaneTransactions,
    private readonly factors: SecondFactors,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_parameters: string[], options: { email: string }): Promise<void> {
    const user = await this.users.findByEmail(options.email);
    if (!user) throw new CliUsageError(`No user with the email ${options.email}`);
    const removed = await this.transactions.run((manager) =>
      removeTotp(manager, this.factors, this.audit, user.id, 'auth.mfa.reset', { by: 'cli' }),
    );
    this.output.result({ email: user.email, totpRemoved: removed }, () =>
      console.log(removed ? `TOTP of ${user.email} removed` : `${user.email} has no TOTP; nothing changed`),
    );
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }
}

/**
 * For an admin locked out of their password: the holder gets a reset link by mail (as from POST
 * /auth/password/forgot), so the operator never sets or learns the password either.
 */
@SubCommand({
  name: 'reset-password',
  description: 'Mail a user a one-time link to choose a new password (a running Tenantry process sends it)',
})
export class AdminsResetPasswordCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_parameters: string[], options: { email: string }): Promise<void> {
    const user = await this.users.findByEmail(options.email);
    if (!user || user.status !== 'active') throw new CliUsageError(`No active account with the email ${options.email}`);
    await this.passwords.requestReset(user.email, undefined);
    this.output.result({ email: user.email, resetLinkQueued: true }, () =>
      console.log(
        `A password-reset link for ${user.email} is in the mail outbox; a running Tenantry process mails it (without SMTP_URL it logs it)`,
      ),
    );
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }
}

@Command({
  name: 'admins',
  description: 'Platform admins',
  subCommands: [AdminsInviteCommand, AdminsResetMfaCommand, AdminsResetPasswordCommand],
})
export class AdminsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
