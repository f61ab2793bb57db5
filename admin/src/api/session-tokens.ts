import type { components } from '../../../packages/client';

export type Tokens = components['schemas']['TokenResponseDto'];

/**
 * The tokens of the signed-in person. The access token lives only in memory; the refresh token is kept
 * in sessionStorage so a reload stays signed in, while closing the tab (or signing out) ends it.
 */
const REFRESH_KEY = 'tenantry.admin.refreshToken';

let accessToken: string | undefined;
let scope: Tokens['scope'];

export function currentAccessToken(): string | undefined {
  return accessToken;
}

/**
 * `mfa-enrolment` when the tokens reach only the second-factor enrolment (a platform admin without one
 * while REQUIRE_ADMIN_MFA=true); undefined for full tokens.
 */
export function tokenScope(): Tokens['scope'] {
  return scope;
}

export function storedRefreshToken(): string | undefined {
  return sessionStorage.getItem(REFRESH_KEY) ?? undefined;
}

export function keepTokens(tokens: Tokens): void {
  accessToken = tokens.accessToken;
  scope = tokens.scope;
  sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
}

export function forgetTokens(): void {
  accessToken = undefined;
  scope = undefined;
  sessionStorage.removeItem(REFRESH_KEY);
}
