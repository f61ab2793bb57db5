import { Actor } from '../../platform/request-context/request-context';
import { rateLimitMessage, requestPoliciesOf } from './request-policies';

const TENANT = '6f1b0c1e-8a43-4f43-9f0e-2d3c1f7a9b10';
const user: Actor = { userId: 'u-1', roles: [] };
const apiKey: Actor = { userId: 'u-1', roles: [], apiKey: { id: 'k-1', scope: 'tenant', permissions: [] } };

describe('requestPoliciesOf', () => {
  it("counts a user's request against the tenant's limit and the user's own limit within that tenant", () => {
    expect(requestPoliciesOf(TENANT, user, { tenantPerMinute: 600, principalPerMinute: 300 })).toEqual([
      { name: 'tenant', quota: 600, windowSeconds: 60, partition: TENANT },
      { name: 'user', quota: 300, windowSeconds: 60, partition: `${TENANT}:u-1` },
    ]);
  });

  it("counts an API key's request against the key's own limit, not its creator's", () => {
    expect(requestPoliciesOf(TENANT, apiKey, { tenantPerMinute: 600, principalPerMinute: 300 })[1]).toEqual({
      name: 'key',
      quota: 300,
      windowSeconds: 60,
      partition: 'k-1',
    });
  });

  it('adds no policy for an unlimited rate', () => {
    expect(requestPoliciesOf(TENANT, user, { tenantPerMinute: null, principalPerMinute: 300 }).map((p) => p.name)).toEqual(['user']);
    expect(requestPoliciesOf(TENANT, user, { tenantPerMinute: null, principalPerMinute: null })).toEqual([]);
  });
});

describe('rateLimitMessage', () => {
  it('names the limit reached, its size and when to come back', () => {
    const policy = { name: 'key', quota: 5, windowSeconds: 60, partition: 'k-1' };
    expect(rateLimitMessage(policy, 12)).toBe("This API key's rate limit of 5 requests per 60 seconds is reached; try again in 12 seconds");
  });
});
