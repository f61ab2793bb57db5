import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { DataSourceRegistry } from './data-source-registry';
import { TenantConnectionProvider } from './tenant-connection-provider';
import { TenantContext, TenantRecord } from './tenant-context';
import { boundTenantOf } from './tenant-placement';
import { createScratchDatabase, ScratchDatabase } from './testing/scratch-database';

/** How the provider binds each placement's connections to the tenant (real PostgreSQL). */
let database: ScratchDatabase;
let registry: DataSourceRegistry;
let cls: ClsService;
let provider: TenantConnectionProvider;

function tenant(placement: TenantRecord['placement'], dataSourceKey: string): TenantRecord {
  return {
    id: randomUUID(),
    slug: `spec-${placement}`,
    status: 'active',
    placement,
    schemaVersion: 'Spec1',
    enabledModules: [],
    dataSourceKey,
    poolSize: 1,
    connectionOptions: () => ({ type: 'postgres', url: database.url }),
  };
}

function asTenant<T>(record: TenantRecord, work: () => Promise<T>): Promise<T> {
  return cls.run(() => {
    new TenantContext(cls).set(boundTenantOf(record));
    return work();
  });
}

const boundTenant = (provider: TenantConnectionProvider, mode: 'read' | 'transaction') =>
  provider[mode](async (tx) => (await tx.manager.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t"))[0].t as string);

/** What the next user of a pooled database's (one) connection finds bound: '' when nothing leaked. */
async function bindingLeftOn(key: string, record: TenantRecord): Promise<string> {
  const lease = await registry.acquire({ key, poolSize: 1, options: record.connectionOptions });
  try {
    return (await lease.dataSource.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t"))[0].t;
  } finally {
    lease.release();
  }
}

beforeAll(async () => {
  database = await createScratchDatabase('provider_spec');
  registry = new DataSourceRegistry({ connectionBudget: 4, idleTimeoutMs: 60_000, acquireTimeoutMs: 2_000 });
  cls = new ClsService(new AsyncLocalStorage());
  provider = new TenantConnectionProvider(registry, new TenantContext(cls));
});

afterAll(async () => {
  await registry?.close();
  await database?.drop();
});

describe('TenantConnectionProvider', () => {
  it('binds a dedicated database connection to its tenant for the whole session, so reads need no transaction', async () => {
    const dedicated = tenant('dedicated', 'spec-dedicated');

    await expect(asTenant(dedicated, () => boundTenant(provider, 'read'))).resolves.toBe(dedicated.id);
    await expect(asTenant(dedicated, () => boundTenant(provider, 'transaction'))).resolves.toBe(dedicated.id);
  });

  it('binds a pooled connection per transaction only, for reads too, so the next tenant on it starts unbound', async () => {
    const first = tenant('pooled', 'spec-pooled');
    const second = { ...tenant('pooled', 'spec-pooled'), id: randomUUID() };

    await expect(asTenant(first, () => boundTenant(provider, 'read'))).resolves.toBe(first.id);
    await expect(asTenant(second, () => boundTenant(provider, 'read'))).resolves.toBe(second.id);
    expect(await bindingLeftOn('spec-pooled', first)).toBe('');
  });

  it('binds select() to the tenant on both placements, and a pooled connection for that statement only', async () => {
    const dedicated = tenant('dedicated', 'spec-select-dedicated');
    const pooled = tenant('pooled', 'spec-select-pooled');
    const selectBound = () => provider.select<{ t: string }>("SELECT current_setting('app.tenant_id') AS t WHERE $1::int > 0", [1]);

    await expect(asTenant(dedicated, selectBound)).resolves.toEqual([{ t: dedicated.id }]);
    await expect(asTenant(pooled, selectBound)).resolves.toEqual([{ t: pooled.id }]);
    expect(await bindingLeftOn('spec-select-pooled', pooled)).toBe('');
  });

  it('refuses to reach tenant data outside a tenant request', async () => {
    await expect(cls.run(() => boundTenant(provider, 'read'))).rejects.toThrow('No tenant is bound');
  });
});

describe('TenantConnectionProvider write gate', () => {
  it('asks the gate once a write has its connection, and neither begins the transaction nor keeps the connection when it refuses', async () => {
    const key = `pool:${randomUUID()}`;
    const record = tenant('pooled', key);
    const asked: string[] = [];
    const gated = new TenantConnectionProvider(registry, new TenantContext(cls), (bound) => {
      asked.push(`${bound.id} ${bound.dataSourceKey}`);
      return Promise.reject(new Error('writes frozen'));
    });
    let ran = false;
    await expect(
      asTenant(record, () =>
        gated.transaction(() => {
          ran = true;
          return Promise.resolve();
        }),
      ),
    ).rejects.toThrow('writes frozen');
    expect(asked).toEqual([`${record.id} ${key}`]);
    expect(ran).toBe(false);
    // The pool's one connection is free again: nothing was left bound on it.
    expect(await bindingLeftOn(key, record)).toBe('');
  });
});
