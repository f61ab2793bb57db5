import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { RequestContext } from '../../platform/request-context/request-context';
import { AuditService } from '../../control-plane/audit/audit.service';
import { LoginThrottleService } from '../../control-plane/sessions/login-throttle.service';
import { RecoveryCodesDto, TotpSetupDto } from './dto/mfa-responses.dto';
import { SecondFactorDto } from './dto/second-factor.dto';
import { acceptedTotpStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash, TOTP_PERIOD_SECONDS, totpUri } from './totp-codes';
import { removeTotp } from './totp-removal';
import { totpSecretScope } from '../../control-plane/users/totp-secret-scope';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottleService,
    private readonly context: RequestContext,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL', [userId]);
    return rows.length > 0;
  }

  /** A new secret, pending until confirmed with a code; replaces an earlier pending one. */
  async setup(user: MfaUser): Promise<TotpSetupDto> {
    const secret = newTotpSecret();
    await this.dataSource.transaction(async (manager) => {
      const [row]: Array<{ enabled_at: Date | null }> = await manager.query(
        'SELECT enabled_at FROM user_totp WHERE user_id = $1 FOR UPDATE',
        [user.id],
      );
      if (row?.enabled_at) throw new ConflictException('TOTP is already enabled; turn it off before enrolling another authenticator');
      await manager.query(
        `INSERT INTO user_totp (user_id, secret_encrypted) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_used_step = NULL, created_at = now()
         WHERE user_totp.enabled_at IS NULL`,
        [user.id, this.cipher.encrypt(secret, totpSecretScope(user.id))],
      );
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
      this.dataSource.transaction(async (manager) => {
        const [row]: Array<{ secret_encrypted: string; enabled_at: Date | null }> = await manager.query(
          'SELECT secret_encrypted, enabled_at FROM user_totp WHERE user_id = $1 FOR UPDATE',
          [user.id],
        );
        if (!row) throw new ConflictException('No TOTP enrolment is pending: start with POST /auth/mfa/totp/setup');
        if (row.enabled_at) throw new ConflictException('TOTP is already enabled');
        const step = await acceptedTotpStep(this.cipher.decrypt(row.secret_encrypted, totpSecretScope(user.id)), code, null);
        if (step === null) return null;
        await manager.query('UPDATE user_totp SET enabled_at = now(), last_used_step = $2 WHERE user_id = $1', [user.id, step]);
        await this.replaceRecoveryCodes(manager, user.id, recoveryCodes);
        await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
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
    await this.dataSource.transaction((manager) => removeTotp(manager, this.audit, user.id, 'auth.mfa.disable', { provedWith: used }));
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
    const [row]: Array<{ secret_encrypted: string; last_used_step: string | null }> = await this.dataSource.query(
      'SELECT secret_encrypted, last_used_step FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL',
      [userId],
    );
    if (!row) return null;
    const lastUsed = row.last_used_step === null ? null : Number(row.last_used_step);
    const step = await acceptedTotpStep(this.cipher.decrypt(row.secret_encrypted, totpSecretScope(userId)), code, lastUsed);
    if (step === null) return null;
    // Conditional, so of two requests racing with the same code (on any process) only one wins.
    const [{ claimed }]: Array<{ claimed: number }> = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE user_totp SET last_used_step = $2
          WHERE user_id = $1 AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)
         RETURNING 1)
       SELECT count(*)::int AS claimed FROM claimed`,
      [userId, step],
    );
    return claimed === 1 ? 'totp' : null;
  }

  private useRecoveryCode(userId: string, code: string): Promise<FactorUsed | null> {
    return this.dataSource.transaction(async (manager) => {
      const [{ spent }]: Array<{ spent: number }> = await manager.query(
        `WITH spent AS (
           UPDATE user_recovery_codes SET used_at = now()
            WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
              AND EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL)
           RETURNING 1)
         SELECT count(*)::int AS spent FROM spent`,
        [userId, recoveryCodeHash(userId, code)],
      );
      if (spent !== 1) return null;
      const [{ remaining }]: Array<{ remaining: number }> = await manager.query(
        'SELECT count(*)::int AS remaining FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [userId],
      );
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

  private async replaceRecoveryCodes(manager: EntityManager, userId: string, codes: string[]): Promise<void> {
    await manager.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
    await manager.query('INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])', [
      userId,
      codes.map((code) => recoveryCodeHash(userId, code)),
    ]);
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
