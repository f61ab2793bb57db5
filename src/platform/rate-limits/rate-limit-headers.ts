import { RateLimitState } from './rate-limit-policy';

/**
 * The IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers), structured-field lists with
 * one item per policy: `RateLimit-Policy: "tenant";q=600;w=60` and `RateLimit: "tenant";r=598;t=41`.
 */
export function rateLimitHeaders(states: readonly RateLimitState[]): Record<string, string> {
  if (states.length === 0) return {};
  return {
    'RateLimit-Policy': states.map(({ policy }) => `${sfString(policy.name)};q=${policy.quota};w=${policy.windowSeconds}`).join(', '),
    RateLimit: states.map((state) => `${sfString(state.policy.name)};r=${state.remaining};t=${state.resetSeconds}`).join(', '),
  };
}

/** Seconds until every exceeded policy lets a request through again (Retry-After); undefined when none is exceeded. */
export function retryAfterSeconds(states: readonly RateLimitState[]): number | undefined {
  const exceeded = states.filter((state) => state.exceeded);
  return exceeded.length === 0 ? undefined : Math.max(1, ...exceeded.map((state) => state.resetSeconds));
}

/** An RFC 8941 string: quoted, with `"` and `\` escaped. */
function sfString(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}
