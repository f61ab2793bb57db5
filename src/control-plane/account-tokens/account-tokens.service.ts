import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AccountToken, AccountTokenPurpose } from '../schema/account-token.entity';
import { hashOneTimeToken, mintOneTimeToken, ONE_TIME_TOKEN_PATTERN } from './one-time-token';

export interface IssuedAccountToken {
  token: string;
  expiresAt: Date;
}

/** One-time, expiring, single-use tokens for password resets and registrations (stored hashed). */
@Injectable()
export class AccountTokensService {
  private readonly ttlMs: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.ttlMs = config.get('accounts.tokenTtlMinutes', { infer: true }) * 60_000;
  }

  /** Issues a token; earlier unused tokens of the same purpose and e-mail stop working. */
  async issue(
    manager: EntityManager,
    purpose: AccountTokenPurpose,
    email: string,
    { userId = null, payload = null }: { userId?: string | null; payload?: Record<string, string> | null } = {},
  ): Promise<IssuedAccountToken> {
    await manager.query('UPDATE account_tokens SET used_at = now(), payload = NULL WHERE purpose = $1 AND email = $2 AND used_at IS NULL', [
      purpose,
      email,
    ]);
    const { token, hash } = mintOneTimeToken();
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await manager.insert(AccountToken, { purpose, email, userId, tokenHash: hash, payload, expiresAt });
    return { token, expiresAt };
  }

  /**
   * Uses a token up inside the caller's transaction (row locked, so two uses cannot both pass).
   * Unknown, used and expired tokens get one answer: the link does not work.
   */
  async consume(manager: EntityManager, purpose: AccountTokenPurpose, token: string): Promise<AccountToken> {
    const row = ONE_TIME_TOKEN_PATTERN.test(token)
      ? await manager.findOne(AccountToken, { where: { tokenHash: hashOneTimeToken(token), purpose }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException({
        message: 'This link is invalid, was already used or has expired',
        details: [{ field: 'token', problems: ['invalid or expired'] }],
      });
    }
    // What the link carried (a registration's password hash) is handed to the caller once and not kept.
    await manager.update(AccountToken, { id: row.id }, { usedAt: new Date(), payload: null });
    return row;
  }
}
