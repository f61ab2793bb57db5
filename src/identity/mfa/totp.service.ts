import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { RequestContext } from '../../platform/request-context/request-context';
import { AuditService } from '../../control-plane/audit/audit.service';
import { ControlPlaneTransactions } from '../../control-plane/transactions/control-plane-transactions';
import { SessionsService } from '../../control-plane/sessions/sessions.service';
import { SecondFactors } from '../../control-plane/users/second-factors';
import { LoginThrottleService } from '../../control-plane/sessions/login-throttle.service';
import { RecoveryCodesDto, TotpSetupDto } from './dto/mfa-responses.dto';
import { SecondFactorDto } from './dto/second-factor.dto';
import { acceptedTotpStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash, TOTP_PERIOD_SECONDS, totpUri } from './totp-codes';
import { removeTotp } from './totp-removal';

export interface MfaUser {
  id: string;
  email: string;
}

export type FactorUsed = 'totp' | 'recovery_code';

/**
 * A user's TOTP factor: enrolment, checking codes (each once) and recovery codes (each once).
 * Every wrong code counts toward the login failure throttle of the account and the client IP,
 * so codes cannot be tried at speed, and every change is audited (never the secret or a code).
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly transactions: ControlPlaneTransactions,
    private readonly factors: SecondFactors,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottleService,
    private readonly context: RequestContext,
  ) {}

  isEnabled(userId: string): Promise<boolean> {
    return this.factors.totpEnabled(userId);
  }

  /** A new secret, pending until confirmed with a code; replaces an earlier pending one. */
  async setup(user: MfaUser): Promise<TotpSetupDto> {
    const secret = newTotpSecret();
    await this.transactions.run(async (manager) => {
      const enrolment = await this.factors.lockTotpWithin(manager, user.id);
      if (enrolment?.enabled) throw new ConflictException('TOTP is already enabled; turn it off before enrolling another authenticator');
      await this.factors.storePendingTotpWithin(manager, user.id, secret);
      await this.audit.record(manager, { action: 'auth.mfa.totp_setup', targetType: 'user', targetId: user.id });
    });
    return { secret, otpauthUri: totpUri(secret, user.email), digits: 6, period: TOTP_PERIOD_SECONDS };
  }

  /**
   * Activates the pending secret once a code from it is shown, and answers fresh recovery codes.
   * Sessions that did not use the factor end: every refresh token of the user is revoked.
   */
  async confirm(user: MfaUser, code: string): Promise<RecoveryCodesDto> {
    const recoveryCodes = newRecoveryCodes();
    const confirmed = await this.throttled(user, () =>
      this.transactions.run(async (manager) => {
        const enrolment = await this.factors.lockTotpWithin(manager, user.id);
        if (!enrolment) throw new ConflictException('No TOTP enrolment is pending: start with POST /auth/mfa/totp/setup');
        if (enrolment.enabled) throw new ConflictException('TOTP is already enabled');
        const step = await acceptedTotpStep(enrolment.secret(), code, null);
        if (step === null) return null;
        await this.factors.enableTotpWithin(manager, user.id, step);
        await this.factors.replaceRecoveryCodesWithin(
          manager,
          user.id,
          recoveryCodes.map((recoveryCode) => recoveryCodeHash(user.id, recoveryCode)),
        );
        await this.sessions.revokeRefreshTokensWithin(manager, { userId: user.id });
        await this.audit.record(manager, {
          action: 'auth.mfa.enable',
          targetType: 'user',
          targetId: user.id,
          changes: { factor: 'totp', recoveryCodesIssued: recoveryCodes.length },
        });
        return 'totp' as const;
      }),
    );
    if (!confirmed) throw wrongFactor('code');
    return { recoveryCodes };
  }

  /** Turns the factor off; the caller proves they hold it with a current code or a recovery code. */
  async disable(user: MfaUser, factor: SecondFactorDto): Promise<void> {
    const field = requireOneFactor(factor);
    if (!(await this.isEnabled(user.id))) throw new ConflictException('TOTP is not enabled');
    const used = await this.verify(user, factor);
    if (!used) throw wrongFactor(field);
    await this.transactions.run((manager) =>
      removeTotp(manager, this.factors, this.audit, user.id, 'auth.mfa.disable', { provedWith: used }),
    );
  }

  /**
   * Checks a second factor and uses it up: a TOTP code's time step (and every older one) cannot
   * be used again, a recovery code is spent. Null when wrong, reused, or the factor is off;
   * each such answer counts as a failed login (429 once over the limit).
   */
  verify(user: MfaUser, factor: SecondFactorDto): Promise<FactorUsed | null> {
    requireOneFactor(factor);
    return this.throttled(user, () =>
      factor.code !== undefined ? this.useCode(user.id, factor.code) : this.useRecoveryCode(user.id, factor.recoveryCode!),
    );
  }

  private async useCode(userId: string, code: string): Promise<FactorUsed | null> {
    const enrolment = await this.factors.enabledTotp(userId);
    if (!enrolment) return null;
    const step = await acceptedTotpStep(enrolment.secret(), code, enrolment.lastUsedStep);
    if (step === null) return null;
    return (await this.factors.claimTotpStep(userId, step)) ? 'totp' : null;
  }

  private useRecoveryCode(userId: string, code: string): Promise<FactorUsed | null> {
    return this.transactions.run(async (manager) => {
      if (!(await this.factors.spendRecoveryCodeWithin(manager, userId, recoveryCodeHash(userId, code)))) return null;
      const remaining = await this.factors.remainingRecoveryCodesWithin(manager, userId);
      await this.audit.record(manager, {
        action: 'auth.mfa.recovery_code_used',
        targetType: 'user',
        targetId: userId,
        actorUserId: userId,
        changes: { remaining },
      });
      return 'recovery_code' as const;
    });
  }

  /** Runs a check under the login failure throttle of the user's account and the client IP. */
  private async throttled<T>(user: MfaUser, check: () => Promise<T | null>): Promise<T | null> {
    const attempt = { email: user.email, clientIp: this.context.clientIp, userId: user.id };
    await this.throttle.assertAllowed(attempt);
    const outcome = await check();
    if (outcome === null) await this.throttle.recordFailure(attempt);
    else await this.throttle.recordSuccess(attempt);
    return outcome;
  }
}

/** Exactly one of `code` and `recoveryCode`; answers the field that was sent. */
function requireOneFactor(factor: SecondFactorDto): 'code' | 'recoveryCode' {
  const sent = (['code', 'recoveryCode'] as const).filter((field) => factor[field] !== undefined);
  if (sent.length === 1) return sent[0];
  throw new BadRequestException({
    message: 'Send exactly one of code and recoveryCode',
    details: [{ field: 'code', problems: [sent.length === 0 ? 'code or recoveryCode is required' : 'not both code and recoveryCode'] }],
  });
}

function wrongFactor(field: 'code' | 'recoveryCode'): BadRequestException {
  return new BadRequestException({
    message: `The ${field} is wrong or was already used`,
    details: [{ field, problems: ['wrong or already used'] }],
  });
}
