import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';
import { AppConfig } from '../../platform/config/app-config';
import { AuditService } from '../audit/audit.service';

export interface LoginAttempt {
  email: string;
  clientIp: string | undefined;
  /** Set when the email belongs to a user. */
  userId?: string;
}

/**
 * Counts failed logins per account and per client IP in a fixed window, in the control-plane
 * database so every API process sees the same counts.
 */
@Injectable()
export class LoginThrottleService {
  private readonly auth: AppConfig['auth'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.auth = config.get('auth', { infer: true });
  }

  /** Throws 429 with Retry-After while the account or the IP is over its limit. */
  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    const limits = this.limits(attempt);
    const rows: Array<{ key: string; failures: number; retry_after: number }> = await this.dataSource.query(
      `SELECT key, failures, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now()))::int AS retry_after
         FROM login_throttle
        WHERE key = ANY($1) AND window_started_at > now() - make_interval(secs => $2)`,
      [limits.map((limit) => limit.key), this.auth.throttleWindowSeconds],
    );
    for (const row of rows) {
      const limit = limits.find((candidate) => candidate.key === row.key);
      if (limit && row.failures >= limit.max) {
        throw new TooManyRequestsException(
          `Too many failed logins for this ${limit.kind}; try again in ${row.retry_after} seconds`,
          Math.max(1, row.retry_after),
        );
      }
    }
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const { key } of this.limits(attempt)) {
        await manager.query(
          `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE login_throttle.failures + 1 END,
             window_started_at = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE login_throttle.window_started_at END`,
          [key, this.auth.throttleWindowSeconds],
        );
      }
      await this.audit.record(manager, {
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: attempt.userId ?? null,
        actorUserId: null,
        changes: { email: attempt.email },
      });
    });
  }

  /** A successful login clears the account's count (the IP's stays, so spraying many accounts is still slowed). */
  /**
   * Counts one request of a kind that mails someone (registration, password reset) from a client
   * IP, and refuses it with 429 past `max` in the window. Shared by every process, like the login counters.
   */
  async countMailingRequest(kind: string, clientIp: string | undefined, max: number): Promise<void> {
    if (!clientIp) return;
    const [row]: Array<{ failures: number; retry_after: number }> = await this.dataSource.query(
      `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE login_throttle.window_started_at END
       RETURNING failures, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now()))::int AS retry_after`,
      [`${kind}:ip:${clientIp}`, this.auth.throttleWindowSeconds],
    );
    if (row.failures > max) {
      throw new TooManyRequestsException(
        `Too many requests of this kind from this IP address; try again in ${row.retry_after} seconds`,
        Math.max(1, row.retry_after),
      );
    }
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.dataSource.query('DELETE FROM login_throttle WHERE key = $1', [accountKey(attempt.email)]);
  }

  private limits(attempt: LoginAttempt) {
    const limits = [{ kind: 'account', key: accountKey(attempt.email), max: this.auth.maxFailuresPerAccount }];
    if (attempt.clientIp) limits.push({ kind: 'IP address', key: `ip:${attempt.clientIp}`, max: this.auth.maxFailuresPerIp });
    return limits;
  }
}

function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}
