import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers';
import { RateLimitState } from './rate-limit-policy';

const state = (name: string, quota: number, remaining: number, resetSeconds: number, exceeded = false): RateLimitState => ({
  policy: { name, quota, windowSeconds: 60, partition: 'p' },
  remaining,
  resetSeconds,
  exceeded,
});

describe('rateLimitHeaders', () => {
  it('writes one structured-field item per policy, the quota and window in RateLimit-Policy and what is left in RateLimit', () => {
    expect(rateLimitHeaders([state('tenant', 600, 598, 41), state('user', 300, 0, 12, true)])).toEqual({
      'RateLimit-Policy': '"tenant";q=600;w=60, "user";q=300;w=60',
      RateLimit: '"tenant";r=598;t=41, "user";r=0;t=12',
    });
  });

  it('writes no header when the request counts against no policy (an unlimited plan)', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('escapes quotes and backslashes in a policy name, as RFC 8941 strings require', () => {
    expect(rateLimitHeaders([state('a"b\\c', 1, 0, 1)])['RateLimit-Policy']).toBe('"a\\"b\\\\c";q=1;w=60');
  });
});

describe('retryAfterSeconds', () => {
  it('is the longest wait among the exceeded policies, ignoring those not exceeded', () => {
    expect(retryAfterSeconds([state('tenant', 600, 10, 50), state('user', 300, 0, 12, true), state('key', 5, 0, 30, true)])).toBe(30);
  });

  it('is undefined while no policy is exceeded', () => {
    expect(retryAfterSeconds([state('tenant', 600, 10, 50)])).toBeUndefined();
  });

  it('is at least one second, so a client never retries at once', () => {
    expect(retryAfterSeconds([state('tenant', 1, 0, 0, true)])).toBe(1);
  });
});
