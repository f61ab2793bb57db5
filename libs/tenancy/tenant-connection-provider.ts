import { ConflictException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSourceOptions, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { DataSourceRegistry, DataSourceSpec } from './data-source-registry';
import { queryPrepared } from './prepared-statement';
import { TenantContext, TenantRecord } from './tenant-context';
import { assertTenantId, inTenantTransaction } from './tenant-transaction';

/**
 * The one way domain modules reach tenant data. It is a singleton that reads the current tenant
 * from the request's AsyncLocalStorage context, so controllers and services stay singletons too.
 *
 * Every unit of work runs in a transaction bound to the tenant (`inTenantTransaction`): the
 * binding ends with the transaction, so it can never leak to the next user of a pooled
 * connection, and row-level security does the filtering in pooled and dedicated databases alike.
 */
@Injectable()
export class TenantConnectionProvider {
  constructor(
    private readonly registry: DataSourceRegistry,
    private readonly context: TenantContext,
  ) {}

  /** Runs `work` in one transaction bound to the current tenant. */
  async transaction<T>(work: (manager: TenantEntityManager) => Promise<T>): Promise<T> {
    const tenant = this.context.require();
    const lease = await this.registry.acquire(specOf(tenant));
    try {
      return await inTenantTransaction(lease.dataSource, tenant.id, (queryRunner) =>
        work(new TenantEntityManager(queryRunner.manager, tenant.id)),
      );
    } finally {
      lease.release();
    }
  }

  /**
   * Runs read-only `work`. A dedicated database's connections are bound to their tenant when they
   * open (see specOf), so reads there run as plain statements, one round trip each, as in a
   * single-tenant app; a pooled database's connections are shared, so reads run in a bound
   * transaction like writes. Under READ COMMITTED a transaction adds no consistency to reads, so
   * both behave the same. Anything that writes belongs in `transaction()`.
   */
  async read<T>(work: (manager: TenantEntityManager) => Promise<T>): Promise<T> {
    const tenant = this.context.require();
    if (tenant.placement !== 'dedicated') return this.transaction(work);
    const lease = await this.registry.acquire(specOf(tenant));
    try {
      return await work(new TenantEntityManager(lease.dataSource.manager, tenant.id));
    } finally {
      lease.release();
    }
  }

  /**
   * Rows of one read-only, hand-written statement for the current tenant, in one round trip on
   * every placement: prepared once per connection, and on a pooled database bound to the tenant
   * for that statement alone (see queryPrepared). For hot reads, where `read()`'s ORM work and a
   * pooled database's START TRANSACTION and COMMIT round trips cost more than the query.
   */
  async select<Row>(text: string, values: unknown[]): Promise<Row[]> {
    const tenant = this.context.require();
    const lease = await this.registry.acquire(specOf(tenant));
    try {
      return await queryPrepared<Row>(lease.dataSource, text, values, { bindTenant: tenant.placement === 'dedicated' ? undefined : tenant.id });
    } finally {
      lease.release();
    }
  }

  /** The current tenant's id, for values the schema cannot default. */
  tenantId(): string {
    return this.context.require().id;
  }
}

/** An EntityManager of one tenant's transaction; repositories from it see only that tenant. */
export class TenantEntityManager {
  constructor(
    readonly manager: EntityManager,
    readonly tenantId: string,
  ) {}

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }
}

function specOf(tenant: TenantRecord): DataSourceSpec {
  // Its own database is reached through its data source's mapping, by the modules that serve one.
  if (tenant.placement === 'byod') {
    throw new ConflictException("This tenant's data lives in its own system, and this module is not served from there");
  }
  if (!tenant.dataSourceKey) {
    throw new ServiceUnavailableException(`Tenant "${tenant.slug}" has no database yet`);
  }
  const options = tenant.placement === 'dedicated' ? () => boundToTenant(tenant.connectionOptions(), tenant.id) : tenant.connectionOptions;
  return { key: tenant.dataSourceKey, poolSize: tenant.poolSize, options };
}

/**
 * A dedicated database serves one tenant, so each of its connections binds `app.tenant_id` for its
 * whole session in the startup packet: no connection of that pool can ever serve anyone else.
 */
function boundToTenant(options: DataSourceOptions, tenantId: string): DataSourceOptions {
  assertTenantId(tenantId);
  const extra = (options as { extra?: Record<string, unknown> }).extra;
  return { ...options, extra: { ...extra, options: `-c app.tenant_id=${tenantId}` } } as DataSourceOptions;
}
