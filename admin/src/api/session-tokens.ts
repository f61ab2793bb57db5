import type { components } from '../../../packages/client';

export type Tokens = components['schemas']['TokenResponseDto'];

/**
 * The tokens of the signed-in person. The access token lives only in memory; the refresh token is kept
 * in sessionStorage so a reload stays signed in, while closing the tab (or signing out) ends it.
 */
const REFRESH_KEY = 'tenantry.admin.refreshToken';

let accessToken: string | undefined;

export function currentAccessToken(): string | undefined {
  return accessToken;
}

export function storedRefreshToken(): string | undefined {
  return sessionStorage.getItem(REFRESH_KEY) ?? undefined;
}

export function keepTokens(tokens: Tokens): void {
  accessToken = tokens.accessToken;
  sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
}

export function forgetTokens(): void {
  accessToken = undefined;
  sessionStorage.removeItem(REFRESH_KEY);
}
