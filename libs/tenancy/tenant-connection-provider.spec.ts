import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { Client, escapeIdentifier } from 'pg';
import { DataSourceRegistry } from './data-source-registry';
import { TenantConnectionProvider } from './tenant-connection-provider';
import { TenantContext, TenantRecord } from './tenant-context';

/** How the provider binds each placement's connections to the tenant (real PostgreSQL). */
const adminUrl = process.env.TENANTRY_TEST_ADMIN_URL ?? '';
const databaseName = `provider_spec_${randomBytes(4).toString('hex')}`;
let admin: Client;
let registry: DataSourceRegistry;
let cls: ClsService;
let provider: TenantConnectionProvider;

function tenant(placement: TenantRecord['placement'], dataSourceKey: string): TenantRecord {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return {
    id: randomUUID(),
    slug: `spec-${placement}`,
    status: 'active',
    placement,
    schemaVersion: 'Spec1',
    enabledModules: [],
    dataSourceKey,
    poolSize: 1,
    connectionOptions: () => ({ type: 'postgres', url: url.toString() }),
  };
}

function asTenant<T>(record: TenantRecord, work: () => Promise<T>): Promise<T> {
  return cls.run(() => {
    new TenantContext(cls).set(record);
    return work();
  });
}

const boundTenant = (provider: TenantConnectionProvider, mode: 'read' | 'transaction') =>
  provider[mode](async (tx) => (await tx.manager.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t"))[0].t as string);

beforeAll(async () => {
  admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${escapeIdentifier(databaseName)}`);
  registry = new DataSourceRegistry({ connectionBudget: 4, idleTimeoutMs: 60_000, acquireTimeoutMs: 2_000 });
  cls = new ClsService(new AsyncLocalStorage());
  provider = new TenantConnectionProvider(registry, new TenantContext(cls));
});

afterAll(async () => {
  await registry?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(databaseName)} WITH (FORCE)`);
  await admin.end();
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
    const lease = await registry.acquire({ key: 'spec-pooled', poolSize: 1, options: first.connectionOptions });
    try {
      const [row] = await lease.dataSource.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t");
      expect(row.t).toBe('');
    } finally {
      lease.release();
    }
  });

  it('refuses to reach tenant data outside a tenant request', async () => {
    await expect(cls.run(() => boundTenant(provider, 'read'))).rejects.toThrow('No tenant is bound');
  });
});
