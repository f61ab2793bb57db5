import { createTenantryClient } from '../../../packages/client';
import { toApiError } from './errors';
import { currentAccessToken, forgetTokens, keepTokens, storedRefreshToken } from './session-tokens';

/** The typed client of the public API (packages/client), on this origin, with the signed-in person's token. */
export const api = createTenantryClient('', { token: currentAccessToken });

/** What every typed call answers: openapi-fetch's `{ data, error, response }`. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Listeners told when the session ended (refresh refused): the app goes back to the sign-in page. */
const sessionEndedListeners = new Set<() => void>();

export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/**
 * Runs a typed call and answers its data, or throws ApiError in the API's words. An expired access
 * token (401) is refreshed once and the call made again.
 */
export async function call<T>(send: () => Promise<Answer<T>>): Promise<T> {
  let answer = await send();
  if (answer.response.status === 401 && storedRefreshToken()) {
    if (await refreshSession()) answer = await send();
  }
  if (answer.error !== undefined || !answer.response.ok) throw toApiError(answer.response.status, answer.error);
  return answer.data as T;
}

let refreshing: Promise<boolean> | undefined;

/**
 * Trades the refresh token for new tokens. Refresh tokens are single-use, so concurrent callers share one
 * refresh: a second one would present a spent token and end the session.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= exchangeRefreshToken().finally(() => (refreshing = undefined));
  return refreshing;
}

async function exchangeRefreshToken(): Promise<boolean> {
  const refreshToken = storedRefreshToken();
  if (!refreshToken) return false;
  const { data } = await api.POST('/auth/refresh', { body: { refreshToken } });
  if (data) {
    keepTokens(data);
    return true;
  }
  forgetTokens();
  sessionEndedListeners.forEach((listener) => listener());
  return false;
}
