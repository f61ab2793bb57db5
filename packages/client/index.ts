import createClient, { type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export interface TenantryClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /**
   * Sent as the bearer token: an access token from POST /auth/login, or an API key. A function is
   * asked before every request, so a client made before signing in picks the token up (and a
   * refreshed one) without being made again.
   */
  token?: string | (() => string | undefined);
  /** x-tenant-id on every request: names the tenant for a token that carries none (e.g. a platform admin's). */
  tenant?: string;
}

export type TenantryClient = ReturnType<typeof createClient<paths>>;

/**
 * A client of the Tenantry API typed from its OpenAPI document: paths, parameters, bodies and
 * every documented answer (errors included: `{ data, error, response }`) are checked by the compiler.
 */
export function createTenantryClient(baseUrl: string, options: TenantryClientOptions = {}): TenantryClient {
  const { token, tenant, ...clientOptions } = options;
  const client = createClient<paths>({ ...clientOptions, baseUrl });
  client.use(credentials(token, tenant));
  return client;
}

function credentials(token: TenantryClientOptions['token'], tenant: string | undefined): Middleware {
  return {
    onRequest({ request }) {
      const value = typeof token === 'function' ? token() : token;
      if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
      if (tenant && !request.headers.has('x-tenant-id')) request.headers.set('x-tenant-id', tenant);
      return request;
    },
  };
}
