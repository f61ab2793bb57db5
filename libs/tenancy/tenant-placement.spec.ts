import { randomUUID } from 'node:crypto';
import { TenantRecord } from './tenant-context';
import { boundTenantOf, TenantDatabaseMissingError, TenantDataElsewhereError } from './tenant-placement';

function record(
  placement: TenantRecord['placement'],
  dataSourceKey: string | null = 'key',
  extra: Partial<TenantRecord> = {},
): TenantRecord {
  return {
    id: randomUUID(),
    slug: `spec-${placement}`,
    status: 'active',
    placement,
    schemaVersion: 'Spec1',
    enabledModules: [],
    dataSourceKey,
    databaseServerId: 'server-1',
    poolSize: 3,
    connectionOptions: () => ({ type: 'postgres', url: 'postgres://example/db', extra: { options: '-c lock_timeout=100' } }),
    ...extra,
  };
}

/** A tenant whose settings come as sessionSettings, as the control plane gives them. */
function withSettings(placement: 'pooled' | 'dedicated', behindTransactionPooler: boolean): TenantRecord {
  return record(placement, 'key', {
    sessionSettings: { lock_timeout: '100ms' },
    behindTransactionPooler,
    connectionOptions: () => ({ type: 'postgres', url: 'postgres://example/db' }),
  });
}

const databaseOf = (tenant: TenantRecord) => {
  const { database } = boundTenantOf(tenant);
  if (!database.reachable) throw new Error('expected a reachable database');
  return database;
};

describe('boundTenantOf (the one place a placement is decided)', () => {
  it('serves a pooled tenant from our schema, binding the tenant per transaction or statement', () => {
    const tenant = record('pooled');
    const bound = boundTenantOf(tenant);
    expect(bound).toMatchObject({ id: tenant.id, recordStore: 'own', database: { reachable: true, sessionBound: false } });
    expect(bound.database.reachable && bound.database.spec).toMatchObject({ key: 'key', poolSize: 3, server: 'server-1' });
    expect(bound.database.reachable && bound.database.spec.options()).toEqual(tenant.connectionOptions());
  });

  it('binds a dedicated tenant’s connections to it for their whole session', () => {
    const tenant = record('dedicated');
    const bound = boundTenantOf(tenant);
    expect(bound).toMatchObject({ recordStore: 'own', database: { reachable: true, sessionBound: true } });
    const options = bound.database.reachable ? bound.database.spec.options() : undefined;
    expect(options).toMatchObject({ extra: { options: `-c lock_timeout=100 -c app.tenant_id=${tenant.id}` } });
  });

  it('applies a directly reached database’s settings once per connection, at startup, with named statements', () => {
    const pooled = databaseOf(withSettings('pooled', false));
    expect(pooled).toMatchObject({ sessionBound: false, transactionSettings: {}, namedStatements: true });
    expect(pooled.spec.options()).toMatchObject({ extra: { options: '-c lock_timeout=100ms' } });
    const tenant = withSettings('dedicated', false);
    expect(databaseOf(tenant).spec.options()).toMatchObject({ extra: { options: `-c lock_timeout=100ms -c app.tenant_id=${tenant.id}` } });
  });

  it('behind a transaction pooler, sends no startup options and binds tenant and settings per transaction, unnamed', () => {
    for (const placement of ['pooled', 'dedicated'] as const) {
      const database = databaseOf(withSettings(placement, true));
      expect(database).toMatchObject({ sessionBound: false, transactionSettings: { lock_timeout: '100ms' }, namedStatements: false });
      expect(database.spec.options()).toEqual({ type: 'postgres', url: 'postgres://example/db' });
    }
  });

  it('refuses connection options with startup options for a database behind a transaction pooler', () => {
    const database = databaseOf(record('dedicated', 'key', { behindTransactionPooler: true }));
    expect(() => database.spec.options()).toThrow('must not carry startup options');
  });

  it('serves a byod tenant from its mapped store; its tenant database is none of ours', () => {
    const bound = boundTenantOf(record('byod'));
    expect(bound.recordStore).toBe('mapped');
    expect(!bound.database.reachable && bound.database.failure()).toBeInstanceOf(TenantDataElsewhereError);
  });

  it('says a tenant without a database yet has none', () => {
    const bound = boundTenantOf(record('pooled', null));
    expect(bound.recordStore).toBe('own');
    expect(!bound.database.reachable && bound.database.failure()).toEqual(new TenantDatabaseMissingError('spec-pooled'));
  });
});
