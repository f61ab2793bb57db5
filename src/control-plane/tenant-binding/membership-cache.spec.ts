import { MembershipCache, TenantAccess } from './membership-cache';

describe('MembershipCache', () => {
  it('does not cache what a load read before the membership was forgotten while it ran', async () => {
    const answers: Array<(value: TenantAccess | null) => void> = [];
    const load = jest.fn(() => new Promise<TenantAccess | null>((resolve) => answers.push(resolve)));
    const cache = new MembershipCache(load, { ttlMs: 60_000, maxEntries: 10 });
    const before = cache.accessOf('u1', 't1');
    cache.forgetMembership('u1', 't1'); // e.g. the role change's notification, while the SELECT was on its way
    answers[0]({ role: 'member', permissions: [] });
    expect((await before)?.role).toBe('member');
    const after = cache.accessOf('u1', 't1');
    expect(load).toHaveBeenCalledTimes(2);
    answers[1]({ role: 'tenant_admin', permissions: ['users.read'] });
    expect((await after)?.role).toBe('tenant_admin');
    expect((await cache.accessOf('u1', 't1'))?.role).toBe('tenant_admin');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
