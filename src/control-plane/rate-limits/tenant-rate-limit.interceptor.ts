import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';
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
 * past either. An interceptor, so it runs once the access guard has bound the tenant and known the
 * caller (a refused request costs nothing), and before any handler, pipe or idempotency claim.
 * Every answer of a limited route carries the RateLimit headers, the 429 also Retry-After.
 */
@Injectable()
export class TenantRateLimitInterceptor implements NestInterceptor {
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

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const tenant = this.enabled ? this.tenants.get() : undefined;
    const actor = this.request.actor;
    if (!tenant || !actor) return next.handle();
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
    return next.handle();
  }
}
