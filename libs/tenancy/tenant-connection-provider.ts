import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { DataSourceRegistry } from './data-source-registry';
import { TenantContext, TenantRecord } from './tenant-context';

/**
 * The one way domain modules reach tenant data. It is a singleton that reads the current tenant
 * from the request's AsyncLocalStorage context, so controllers and services stay singletons too.
 *
 * Every unit of work runs in a transaction that first binds the tenant with
 * `set_config('app.tenant_id', id, true)`: the binding ends with the transaction, so it can never
 * leak to the next user of a pooled connection, and row-level security does the filtering in
 * pooled and dedicated databases alike.
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
      return await lease.dataSource.transaction(async (manager) => {
        await manager.query("SELECT set_config('app.tenant_id', $1, true)", [tenant.id]);
        return work(new TenantEntityManager(manager, tenant.id));
      });
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

function specOf(tenant: TenantRecord) {
  if (!tenant.dataSourceKey) {
    throw new ServiceUnavailableException(`Tenant "${tenant.slug}" has no database yet`);
  }
  return { key: tenant.dataSourceKey, poolSize: tenant.poolSize, options: tenant.connectionOptions };
}
