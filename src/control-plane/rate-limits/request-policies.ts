import { Actor } from '../../platform/request-context/request-context';
import { RateLimitPolicy } from '../../platform/rate-limits/rate-limit-policy';
import { RequestRates } from './tenant-rate-limits';

const MINUTE = 60;

/**
 * The limits one /api request counts against: its tenant's, and its principal's within that
 * tenant (the API key's own, or the user's). An unlimited rate adds no policy.
 */
export function requestPoliciesOf(tenantId: string, actor: Actor, rates: RequestRates): RateLimitPolicy[] {
  const policies: RateLimitPolicy[] = [];
  if (rates.tenantPerMinute !== null) {
    policies.push({ name: 'tenant', quota: rates.tenantPerMinute, windowSeconds: MINUTE, partition: tenantId });
  }
  if (rates.principalPerMinute !== null) {
    policies.push(
      actor.apiKey
        ? { name: 'key', quota: rates.principalPerMinute, windowSeconds: MINUTE, partition: actor.apiKey.id }
        : { name: 'user', quota: rates.principalPerMinute, windowSeconds: MINUTE, partition: `${tenantId}:${actor.userId}` },
    );
  }
  return policies;
}

const WHOSE: Record<string, string> = {
  tenant: "This tenant's",
  user: 'Your',
  key: "This API key's",
};

/** The 429's message: which limit was reached, how large it is and when to come back. */
export function rateLimitMessage(policy: RateLimitPolicy, retryAfterSeconds: number): string {
  const whose = WHOSE[policy.name] ?? `The ${policy.name}`;
  return (
    `${whose} rate limit of ${policy.quota} requests per ${policy.windowSeconds} seconds is reached; ` +
    `try again in ${retryAfterSeconds} seconds`
  );
}
