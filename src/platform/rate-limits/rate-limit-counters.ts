import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { RateLimitPolicy, RateLimitState } from './rate-limit-policy';
import { InjectRedis } from './redis-connection';

/**
 * Far above any quota: the limiters only count, and the quota is compared here. A plan change or
 * an override then changes a quota without resetting what was counted, and one counter per
 * (name, window) serves every quota.
 */
const COUNT_ONLY = 2 ** 31 - 1;

/**
 * Counts requests per policy with rate-limiter-flexible: in Redis when REDIS_URL is set, so every
 * app process shares the counts, else in this process. If Redis fails, each process counts in its
 * own memory instead (the library's insurance limiter) until Redis is back: limits then hold per
 * process, and no request fails because of Redis. Anything else going wrong lets the request
 * through, logged: a limiter must never turn into an outage.
 */
@Injectable()
export class RateLimitCounters {
  private readonly logger = new Logger(RateLimitCounters.name);
  private readonly counters = new Map<string, RateLimiterAbstract>();
  private readonly keyPrefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis | null,
    config: ConfigService<AppConfig, true>,
  ) {
    this.keyPrefix = `${config.get('redis.keyPrefix', { infer: true })}rl:`;
  }

  /** Counts one request against every policy; a policy is `exceeded` when this request went past its quota. */
  async consume(policies: readonly RateLimitPolicy[]): Promise<RateLimitState[]> {
    try {
      return await Promise.all(
        policies.map(async (policy) => stateOf(policy, await this.counterFor(policy).consume(policy.partition), 'past-quota')),
      );
    } catch (error) {
      this.logger.warn(`Rate limits not counted: ${(error as Error).message}`);
      return [];
    }
  }

  /** Where a policy stands without counting: `exceeded` when the next request would be refused. */
  async peek(policy: RateLimitPolicy): Promise<RateLimitState> {
    try {
      const counted = await this.counterFor(policy).get(policy.partition);
      if (counted) return stateOf(policy, counted, 'at-quota');
    } catch (error) {
      this.logger.warn(`Rate limit not read: ${(error as Error).message}`);
    }
    return { policy, remaining: policy.quota, resetSeconds: policy.windowSeconds, exceeded: false };
  }

  /** Forgets a partition's count (a successful login clears its account's failures). */
  async reset(policy: RateLimitPolicy): Promise<void> {
    await this.counterFor(policy)
      .delete(policy.partition)
      .catch((error: Error) => this.logger.warn(`Rate limit not reset: ${error.message}`));
  }

  private counterFor({ name, windowSeconds }: RateLimitPolicy): RateLimiterAbstract {
    const id = `${name}:${windowSeconds}`;
    let counter = this.counters.get(id);
    if (!counter) {
      const options = { keyPrefix: `${this.keyPrefix}${id}`, points: COUNT_ONLY, duration: windowSeconds };
      counter = this.redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: this.redis,
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      this.counters.set(id, counter);
    }
    return counter;
  }
}

function stateOf(policy: RateLimitPolicy, counted: RateLimiterRes, refuse: 'past-quota' | 'at-quota'): RateLimitState {
  const { consumedPoints } = counted;
  return {
    policy,
    remaining: Math.max(0, policy.quota - consumedPoints),
    resetSeconds: Math.max(0, Math.ceil(counted.msBeforeNext / 1000)),
    exceeded: refuse === 'past-quota' ? consumedPoints > policy.quota : consumedPoints >= policy.quota,
  };
}
