import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { totpSecretScope } from './totp-secret-scope';

/** A user's TOTP enrolment; the secret is decrypted only when a code must be checked. */
export interface TotpEnrolment {
  secret: () => string;
  enabled: boolean;
  lastUsedStep: number | null;
}

/**
 * Where users' second factors are kept: the TOTP secret (encrypted, bound to its user) and the
 * hashes of recovery codes. Sign-in decides what a code proves; this only stores and claims.
 */
@Injectable()
export class SecondFactors {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  async totpEnabled(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL', [userId]);
    return rows.length > 0;
  }

  /** The user's enrolment, pending or enabled, locked for the caller's transaction. */
  async lockTotpWithin(manager: EntityManager, userId: string): Promise<TotpEnrolment | null> {
    const [row]: Array<{ secret_encrypted: string; enabled_at: Date | null; last_used_step: string | null }> = await manager.query(
      'SELECT secret_encrypted, enabled_at, last_used_step FROM user_totp WHERE user_id = $1 FOR UPDATE',
      [userId],
    );
    return row ? this.enrolment(userId, row) : null;
  }

  /** The enabled enrolment, read outside a transaction (codes are claimed by claimTotpStep). */
  async enabledTotp(userId: string): Promise<TotpEnrolment | null> {
    const [row]: Array<{ secret_encrypted: string; enabled_at: Date | null; last_used_step: string | null }> = await this.dataSource.query(
      'SELECT secret_encrypted, enabled_at, last_used_step FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL',
      [userId],
    );
    return row ? this.enrolment(userId, row) : null;
  }

  /** A new pending secret, replacing an earlier pending one (never an enabled one). */
  async storePendingTotpWithin(manager: EntityManager, userId: string, secret: string): Promise<void> {
    await manager.query(
      `INSERT INTO user_totp (user_id, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_used_step = NULL, created_at = now()
       WHERE user_totp.enabled_at IS NULL`,
      [userId, this.cipher.encrypt(secret, totpSecretScope(userId))],
    );
  }

  async enableTotpWithin(manager: EntityManager, userId: string, step: number): Promise<void> {
    await manager.query('UPDATE user_totp SET enabled_at = now(), last_used_step = $2 WHERE user_id = $1', [userId, step]);
  }

  /** Claims a time step: of two requests racing with the same code (on any process) only one wins. */
  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    const [{ claimed }]: Array<{ claimed: number }> = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE user_totp SET last_used_step = $2
          WHERE user_id = $1 AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)
         RETURNING 1)
       SELECT count(*)::int AS claimed FROM claimed`,
      [userId, step],
    );
    return claimed === 1;
  }

  async replaceRecoveryCodesWithin(manager: EntityManager, userId: string, codeHashes: string[]): Promise<void> {
    await manager.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
    await manager.query('INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])', [userId, codeHashes]);
  }

  /** Spends an unused recovery code of a user whose TOTP is enabled; false when there is none to spend. */
  async spendRecoveryCodeWithin(manager: EntityManager, userId: string, codeHash: string): Promise<boolean> {
    const [{ spent }]: Array<{ spent: number }> = await manager.query(
      `WITH spent AS (
         UPDATE user_recovery_codes SET used_at = now()
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
            AND EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL)
         RETURNING 1)
       SELECT count(*)::int AS spent FROM spent`,
      [userId, codeHash],
    );
    return spent === 1;
  }

  async remainingRecoveryCodesWithin(manager: EntityManager, userId: string): Promise<number> {
    const [{ remaining }]: Array<{ remaining: number }> = await manager.query(
      'SELECT count(*)::int AS remaining FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
    return remaining;
  }

  /** Removes the TOTP factor and the recovery codes; false when there was no TOTP factor. */
  async removeTotpWithin(manager: EntityManager, userId: string): Promise<boolean> {
    await manager.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
    const [{ removed }]: Array<{ removed: number }> = await manager.query(
      'WITH removed AS (DELETE FROM user_totp WHERE user_id = $1 RETURNING 1) SELECT count(*)::int AS removed FROM removed',
      [userId],
    );
    return removed > 0;
  }

  private enrolment(
    userId: string,
    row: { secret_encrypted: string; enabled_at: Date | null; last_used_step: string | null },
  ): TotpEnrolment {
    return {
      secret: () => this.cipher.decrypt(row.secret_encrypted, totpSecretScope(userId)),
      enabled: row.enabled_at !== null,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    };
  }
}
