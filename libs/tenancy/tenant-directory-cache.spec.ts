import { TenantRecord } from './tenant-context';
import { TenantDirectoryCache } from './tenant-directory-cache';

const record = (status: TenantRecord['status']): TenantRecord => ({
  id: 't1',
  slug: 'acme',
  status,
  placement: 'dedicated',
  enabledModules: [],
  schemaVersion: null,
  dataSourceKey: 'tenant:t1',
  poolSize: 1,
  connectionOptions: () => ({ type: 'postgres' }),
});

/** A loader whose answers the test hands out one by one. */
function controlledLoader() {
  const answers: Array<(value: TenantRecord) => void> = [];
  const load = jest.fn(() => new Promise<TenantRecord>((resolve) => answers.push(resolve)));
  return { load, answer: (index: number, value: TenantRecord) => answers[index](value) };
}

describe('TenantDirectoryCache', () => {
  it('shares one load between concurrent misses and caches its answer', async () => {
    const { load, answer } = controlledLoader();
    const cache = new TenantDirectoryCache(load, { ttlMs: 60_000, maxEntries: 10 });
    const both = Promise.all([cache.find('acme'), cache.find('acme')]);
    answer(0, record('active'));
    expect((await both).map((found) => found?.status)).toEqual(['active', 'active']);
    expect((await cache.find('acme'))?.status).toBe('active');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not cache what a load read before an invalidation that came while it ran', async () => {
    const { load, answer } = controlledLoader();
    const cache = new TenantDirectoryCache(load, { ttlMs: 60_000, maxEntries: 10 });
    const before = cache.find('acme');
    cache.invalidate('t1'); // e.g. the suspension's notification, while the SELECT was on its way
    answer(0, record('active'));
    expect((await before)?.status).toBe('active');
    const after = cache.find('acme');
    expect(load).toHaveBeenCalledTimes(2);
    answer(1, record('suspended'));
    expect((await after)?.status).toBe('suspended');
  });

  it('forgets everything when cleared', async () => {
    const { load, answer } = controlledLoader();
    const cache = new TenantDirectoryCache(load, { ttlMs: 60_000, maxEntries: 10 });
    const first = cache.find('acme');
    answer(0, record('active'));
    await first;
    cache.clear();
    const second = cache.find('acme');
    answer(1, record('suspended'));
    expect((await second)?.status).toBe('suspended');
  });
});
