import { TenantReferenceConflictError, tenantReferenceOf } from './tenant-reference';

const options = { baseDomain: 'tenantry.test', allowQueryParameter: false };
const request = (headers: Record<string, string> = {}, extra: { hostname?: string; query?: Record<string, unknown> } = {}) => ({
  headers,
  ...extra,
});

describe('tenantReferenceOf', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('prefers the token claim', () => {
    expect(tenantReferenceOf(request({}, { hostname: 'acme.tenantry.test' }), id, options)).toEqual({ value: id, source: 'token' });
  });

  it('refuses a header that contradicts the token', () => {
    expect(() => tenantReferenceOf(request({ 'x-tenant-id': 'other' }), id, options)).toThrow(TenantReferenceConflictError);
  });

  it('accepts a header that agrees with the token', () => {
    expect(tenantReferenceOf(request({ 'x-tenant-id': id }), id, options)?.source).toBe('token');
  });

  it('falls back to the header, then the subdomain', () => {
    expect(tenantReferenceOf(request({ 'x-tenant-id': 'Acme' }), undefined, options)).toEqual({ value: 'acme', source: 'header' });
    expect(tenantReferenceOf(request({}, { hostname: 'globex.tenantry.test:3000' }), undefined, options)).toEqual({
      value: 'globex',
      source: 'subdomain',
    });
  });

  it('ignores deeper subdomains and other domains', () => {
    expect(tenantReferenceOf(request({}, { hostname: 'a.b.tenantry.test' }), undefined, options)).toBeNull();
    expect(tenantReferenceOf(request({}, { hostname: 'acme.evil.test' }), undefined, options)).toBeNull();
  });

  it('honours ?tenant= only when allowed', () => {
    const withQuery = request({}, { query: { tenant: 'acme' } });
    expect(tenantReferenceOf(withQuery, undefined, options)).toBeNull();
    expect(tenantReferenceOf(withQuery, undefined, { ...options, allowQueryParameter: true })).toEqual({ value: 'acme', source: 'query' });
  });

  it('turns a malformed reference into one that matches no tenant', () => {
    expect(tenantReferenceOf(request({ 'x-tenant-id': "acme'; DROP TABLE tenants" }), undefined, options)).toEqual({
      value: '',
      source: 'header',
    });
  });
});
