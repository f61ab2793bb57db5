/** Where the tenant of a request was named, in the order they are consulted. */
export type TenantReferenceSource = 'token' | 'header' | 'subdomain' | 'query';

export interface TenantReference {
  /** A tenant id or slug. */
  value: string;
  source: TenantReferenceSource;
}

export interface TenantReferenceRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  hostname?: string;
}

export interface TenantReferenceOptions {
  /** `example.com` makes `acme.example.com` name tenant `acme`; unset disables subdomains. */
  baseDomain?: string;
  /** `?tenant=` is honoured only in development. */
  allowQueryParameter: boolean;
}

export class TenantReferenceConflictError extends Error {
  constructor(tokenTenant: string, headerTenant: string) {
    super(`The token is for tenant ${tokenTenant} but x-tenant-id names ${headerTenant}`);
  }
}

const REFERENCE_PATTERN = /^[A-Za-z0-9-]{1,63}$/;

/**
 * The resolution chain: the token's tenant claim, then the `x-tenant-id` header, then the
 * subdomain, then `?tenant=` (development only). A header that contradicts the token is refused.
 */
export function tenantReferenceOf(
  request: TenantReferenceRequest,
  tokenTenantId: string | undefined,
  options: TenantReferenceOptions,
): TenantReference | null {
  const header = single(request.headers['x-tenant-id']);
  if (tokenTenantId) {
    if (header && header !== tokenTenantId) throw new TenantReferenceConflictError(tokenTenantId, header);
    return { value: tokenTenantId, source: 'token' };
  }
  if (header) return usable(header, 'header');
  const subdomain = subdomainOf(request.hostname, options.baseDomain);
  if (subdomain) return usable(subdomain, 'subdomain');
  const query = options.allowQueryParameter ? request.query?.tenant : undefined;
  if (typeof query === 'string' && query) return usable(query, 'query');
  return null;
}

function usable(value: string, source: TenantReference['source']): TenantReference {
  return { value: REFERENCE_PATTERN.test(value) ? value.toLowerCase() : '', source };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function subdomainOf(hostname: string | undefined, baseDomain: string | undefined): string | undefined {
  if (!hostname || !baseDomain) return undefined;
  const host = hostname.split(':')[0].toLowerCase();
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (!host.endsWith(suffix)) return undefined;
  const label = host.slice(0, -suffix.length);
  return label && !label.includes('.') ? label : undefined;
}
