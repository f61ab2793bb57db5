import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Actor } from '../platform/request-context/request-context';
import { AppConfig } from '../platform/config/app-config';
import { AccessChanges } from '../control-plane/access-changes';
import { AccountTokensService } from '../control-plane/account-tokens/account-tokens.service';
import { AuditService } from '../control-plane/audit/audit.service';
import { ControlPlaneTransactions } from '../control-plane/transactions/control-plane-transactions';
import { recordSessionRevocation } from '../control-plane/sessions/session-revocations';
import { SessionsService } from '../control-plane/sessions/sessions.service';
import { UserAccounts } from '../control-plane/users/user-accounts.service';
import { LoginThrottleService } from '../control-plane/sessions/login-throttle.service';
import { PasswordHasher } from '../control-plane/users/password-hasher';
import { UsersService } from '../control-plane/users/users.service';
import { MailOutbox } from '../platform/mail/mail-outbox';
import { accountMails } from './account-mails';

/** Reset requests allowed per client IP per LOGIN_THROTTLE_WINDOW_SECONDS: each one may mail someone. */
const RESET_REQUESTS_PER_IP = 10;

/**
 * A password is set only by its account's holder: through a mailed one-time link (forgotten
 * password) or knowing the current one. Either way every session of the account ends.
 */
@Injectable()
export class PasswordService {
  private readonly publicUrl: string;

  constructor(
    private readonly transactions: ControlPlaneTransactions,
    private readonly users: UsersService,
    private readonly accounts: UserAccounts,
    private readonly sessions: SessionsService,
    private readonly tokens: AccountTokensService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly mail: MailOutbox,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicUrl = config.get('accounts.publicUrl', { infer: true });
  }

  /** Mails a reset link when the e-mail has an active account; the answer is the same either way. */
  async requestReset(email: string, clientIp: string | undefined): Promise<void> {
    await this.throttle.countMailingRequest('password-reset', clientIp, RESET_REQUESTS_PER_IP);
    await this.transactions.run(async (manager) => {
      const user = await this.accounts.findActiveByEmailWithin(manager, email);
      if (!user) return;
      const issued = await this.tokens.issue(manager, 'password_reset', email, { userId: user.id });
      await this.mail.enqueue(manager, accountMails.passwordReset(email, issued.token, this.publicUrl, issued.expiresAt));
    });
    this.mail.wake();
  }

  async reset(token: string, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    const userId = await this.transactions.run(async (manager) => {
      const reset = await this.tokens.consume(manager, 'password_reset', token);
      const user = reset.userId ? await this.accounts.findActiveWithin(manager, reset.userId) : null;
      if (!user)
        throw new BadRequestException({
          message: 'This link is invalid, was already used or has expired',
          details: [{ field: 'token', problems: ['invalid or expired'] }],
        });
      await this.setPassword(manager, user.id, passwordHash, 'user.password_reset');
      return user.id;
    });
    this.changes.userChanged(userId);
  }

  /** Changes the caller's own password; a wrong current password counts as a failed login. */
  async change(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const account = await this.users.findActive(actor.userId);
    const user = account && (await this.users.findForLogin(account.email));
    if (!user) throw new UnauthorizedException('The account is disabled or no longer exists');
    const attempt = { email: user.email, clientIp: undefined, userId: user.id };
    await this.throttle.assertAllowed(attempt);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      await this.throttle.recordFailure(attempt);
      throw new BadRequestException({
        message: 'currentPassword is wrong',
        details: [{ field: 'currentPassword', problems: ['wrong password'] }],
      });
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await this.transactions.run((manager) => this.setPassword(manager, user.id, passwordHash, 'user.password_change'));
    this.changes.userChanged(user.id);
  }

  private async setPassword(manager: EntityManager, userId: string, passwordHash: string, action: string): Promise<void> {
    await this.accounts.setPasswordWithin(manager, userId, passwordHash);
    await this.sessions.revokeRefreshTokensWithin(manager, { userId });
    await recordSessionRevocation(manager, { userId });
    await this.audit.record(manager, {
      action,
      targetType: 'user',
      targetId: userId,
      actorUserId: userId,
      changes: { password: 'changed', sessions: 'ended' },
    });
  }
}
