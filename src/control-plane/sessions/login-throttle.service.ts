import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';
import { AppConfig } from '../../platform/config/app-config';
import { RateLimitCounters } from '../../platform/rate-limits/rate-limit-counters';
import { RateLimitPolicy } from '../../platform/rate-limits/rate-limit-policy';
import { AuditService } from '../audit/audit.service';

export interface LoginAttempt {
  email: string;
  clientIp: string | undefined;
  /** Set when the email belongs to a user. */
  userId?: string;
}

/**
 * Counts failed logins per account and per client IP in a fixed window, and requests that mail
 * someone per client IP, on the same counters as the /api rate limits (RateLimitCounters): in
 * Redis when REDIS_URL is set, so every app process sees the same counts, else in this process.
 */
@Injectable()
export class LoginThrottleService {
  private readonly auth: AppConfig['auth'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly counters: RateLimitCounters,
    config: ConfigService<AppConfig, true>,
  ) {
    this.auth = config.get('auth', { infer: true });
  }

  /** Throws 429 with Retry-After while the account or the IP is over its limit. */
  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    for (const { kind, policy } of this.limits(attempt)) {
      const state = await this.counters.peek(policy);
      if (state.exceeded) {
        const retryAfter = Math.max(1, state.resetSeconds);
        throw new TooManyRequestsException(`Too many failed logins for this ${kind}; try again in ${retryAfter} seconds`, retryAfter);
      }
    }
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    await this.counters.consume(this.limits(attempt).map(({ policy }) => policy));
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: attempt.userId ?? null,
        actorUserId: null,
        changes: { email: attempt.email },
      }),
    );
  }

  /** A successful login clears the account's count (the IP's stays, so spraying many accounts is still slowed). */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.counters.reset(this.limits(attempt)[0].policy);
  }

  /**
   * Counts one request of a kind that mails someone (registration, password reset) from a client
   * IP, and refuses it with 429 past `max` in the window.
   */
  async countMailingRequest(kind: string, clientIp: string | undefined, max: number): Promise<void> {
    if (!clientIp) return;
    const policy = { name: `${kind}-ip`, quota: max, windowSeconds: this.auth.throttleWindowSeconds, partition: clientIp };
    const [state] = await this.counters.consume([policy]);
    if (state?.exceeded) {
      const retryAfter = Math.max(1, state.resetSeconds);
      throw new TooManyRequestsException(
        `Too many requests of this kind from this IP address; try again in ${retryAfter} seconds`,
        retryAfter,
      );
    }
  }

  /** The account's limit first: recordSuccess clears it. */
  private limits(attempt: LoginAttempt): Array<{ kind: string; policy: RateLimitPolicy }> {
    const window = this.auth.throttleWindowSeconds;
    const limits = [
      {
        kind: 'account',
        policy: {
          name: 'login-account',
          quota: this.auth.maxFailuresPerAccount,
          windowSeconds: window,
          partition: normalised(attempt.email),
        },
      },
    ];
    if (attempt.clientIp) {
      limits.push({
        kind: 'IP address',
        policy: { name: 'login-ip', quota: this.auth.maxFailuresPerIp, windowSeconds: window, partition: attempt.clientIp },
      });
    }
    return limits;
  }
}

function normalised(email: string): string {
  return email.trim().toLowerCase();
}
