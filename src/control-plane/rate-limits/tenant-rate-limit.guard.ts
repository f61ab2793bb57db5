import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FastifyReply } from 'fastify';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { AppConfig } from '../../platform/config/app-config';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';
import { RateLimitCounters } from '../../platform/rate-limits/rate-limit-counters';
import { rateLimitHeaders, retryAfterSeconds } from '../../platform/rate-limits/rate-limit-headers';
import { RequestContext } from '../../platform/request-context/request-context';
import { rateLimitMessage, requestPoliciesOf } from './request-policies';
import { TenantRateLimits } from './tenant-rate-limits';

/**
 * Counts every /api request against its tenant's and its principal's rate limits, and answers 429
 * past either. A global guard registered right after the access guard (AuthModule), so it runs
 * once the tenant is bound and the caller known (a refused request costs nothing), and before any
 * interceptor, pipe, handler or idempotency claim; a guard rather than an interceptor, which would
 * put every request through Nest's interceptor chain. Every answer of a limited route carries the
 * RateLimit headers, the 429 also Retry-After.
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly tenants: TenantContext,
    private readonly request: RequestContext,
    private readonly rates: TenantRateLimits,
    private readonly counters: RateLimitCounters,
    config: ConfigService<AppConfig, true>,
  ) {
    this.enabled = config.get('rateLimits.enabled', { infer: true });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = this.enabled ? this.tenants.get() : undefined;
    const actor = this.request.actor;
    if (!tenant || !actor) return true;
    const states = await this.counters.consume(requestPoliciesOf(tenant.id, actor, await this.rates.ratesOf(tenant.id)));
    context.switchToHttp().getResponse<FastifyReply>().headers(rateLimitHeaders(states));
    const retryAfter = retryAfterSeconds(states);
    if (retryAfter !== undefined) {
      const { policy } = states.find((state) => state.exceeded)!;
      throw new TooManyRequestsException(rateLimitMessage(policy, retryAfter), retryAfter, {
        limit: policy.name,
        quota: policy.quota,
        windowSeconds: policy.windowSeconds,
      });
    }
    return true;
  }
}
