/** One limit a request is counted against, as the RateLimit-Policy header names it. */
export interface RateLimitPolicy {
  /** Named in the headers and in the 429: `tenant`, `user`, `key`, `login-account`, … */
  name: string;
  /** Requests allowed per window. */
  quota: number;
  windowSeconds: number;
  /** Whose requests count together under this name (a tenant id, a user within a tenant, an API key id, an IP). */
  partition: string;
}

/** Where a policy stands after a request was counted. */
export interface RateLimitState {
  policy: RateLimitPolicy;
  /** Requests still allowed in the current window. */
  remaining: number;
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number;
  exceeded: boolean;
}
