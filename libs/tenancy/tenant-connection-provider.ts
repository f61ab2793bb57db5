import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner, Repository } from 'typeorm';
import { isConnectionLoss, TenantConnectionLostError } from './connection-errors';
import { DataSourceRegistry } from './data-source-registry';
import { queryPrepared } from './prepared-statement';
import { releaseQueryRunner } from './query-runner-release';
import { soundQueryRunner } from './sound-connections';
import { TenantContext, TenantRecord } from './tenant-context';
import { BoundTenant, TenantDatabase } from './tenant-placement';
import { inTenantTransaction } from './tenant-transaction';

/**
 * The one way domain modules reach tenant data. It is a singleton that reads the current tenant
 * from the request's AsyncLocalStorage context, so controllers and services stay singletons too.
 *
 * Every unit of work runs in a transaction bound to the tenant (`inTenantTransaction`): the
 * binding ends with the transaction, so it can never leak to the next user of a pooled
 * connection, and row-level security does the filtering in pooled and dedicated databases alike.
 * How the tenant's database is reached was decided when the tenant was bound (BoundTenant.database).
 */
/**
 * Asked once a write transaction has its connection, just before it begins: waits, or throws, while
 * the tenant's writes are frozen (a move's switch, a restore over it). The request's own check came
 * before any wait for a connection, and a freeze may have begun meanwhile; a background job has had
 * no check at all. The freeze's holder waits for every transaction begun before it took effect.
 * It also throws when the tenant's data has moved since `tenant` was bound (another `dataSourceKey`):
 * the connection held is to the old copy, and a write there would be lost with it.
 */
export type WriteGate = (tenant: WriteGateTenant) => Promise<void>;

/** What the write gate is told of the tenant a write was bound to. */
export type WriteGateTenant = Pick<TenantRecord, 'id' | 'slug' | 'dataSourceKey'>;

export class TenantConnectionProvider {
  constructor(
    private readonly registry: DataSourceRegistry,
    private readonly context: TenantContext,
    private readonly writeGate: WriteGate = () => Promise.resolve(),
  ) {}

  /**
   * Runs `work` in one transaction bound to the current tenant. If the connection is lost, the
   * transaction ends in TenantConnectionLostError (503 with Retry-After), which says whether the
   * change was applied (see inTenantTransaction); `work` is run again only when the connection was
   * found dead before it started.
   */
  async transaction<T>(work: (manager: TenantEntityManager) => Promise<T>): Promise<T> {
    const tenant = this.context.require();
    const database = reachable(tenant);
    const lease = await this.registry.acquire(database.spec);
    let committed: TenantEntityManager | undefined;
    try {
      await this.writeGate(tenant);
      const result = await inTenantTransaction(
        lease.dataSource,
        tenant.id,
        (queryRunner) => {
          committed = new TenantEntityManager(queryRunner.manager, tenant.id);
          return work(committed);
        },
        { settings: database.transactionSettings },
      );
      committed?.runAfterCommit();
      return result;
    } finally {
      lease.release();
    }
  }

  /**
   * Runs read-only `work`. A directly reached dedicated database's connections are bound to their
   * tenant when they open (`sessionBound`), so reads there run as plain statements, one round trip each, as in a
   * single-tenant app; a pooled database's connections are shared, so reads run in a bound
   * transaction like writes. Under READ COMMITTED a transaction adds no consistency to reads, so
   * both behave the same. Anything that writes belongs in `transaction()`: a read whose connection
   * is lost is run once more, on another connection.
   */
  async read<T>(work: (manager: TenantEntityManager) => Promise<T>): Promise<T> {
    const tenant = this.context.require();
    const database = reachable(tenant);
    return this.retriedOnConnectionLoss(database, (dataSource) => {
      const bound = (queryRunner: QueryRunner) => work(new TenantEntityManager(queryRunner.manager, tenant.id));
      return database.sessionBound
        ? onOneConnection(dataSource, bound)
        : inTenantTransaction(dataSource, tenant.id, bound, { readOnly: true, settings: database.transactionSettings });
    });
  }

  /**
   * Rows of one read-only, hand-written statement for the current tenant, in one round trip on
   * every placement: prepared once per connection (unnamed behind a transaction pooler), and on a
   * pooled database bound to the tenant for that statement alone (see queryPrepared). For hot reads, where `read()`'s ORM work and a
   * pooled database's START TRANSACTION and COMMIT round trips cost more than the query. Run once
   * more on another connection if its connection is lost.
   */
  async select<Row>(text: string, values: unknown[]): Promise<Row[]> {
    const tenant = this.context.require();
    const database = reachable(tenant);
    const bindTenant = database.sessionBound ? undefined : tenant.id;
    const options = { bindTenant, settings: database.transactionSettings, named: database.namedStatements };
    return this.retriedOnConnectionLoss(database, (dataSource) => queryPrepared<Row>(dataSource, text, values, options));
  }

  /** Runs a read; if its connection is lost, once more on a fresh lease; a second loss is a 503 with Retry-After. */
  private async retriedOnConnectionLoss<T>(database: ReachableDatabase, read: (dataSource: DataSource) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const lease = await this.registry.acquire(database.spec);
      try {
        return await read(lease.dataSource);
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        if (attempt > 1)
          throw new TenantConnectionLostError('The connection to the tenant database was lost; retry shortly', 'not-applied', {
            cause: error,
          });
      } finally {
        lease.release();
      }
    }
  }

  /** The current tenant's id, for values the schema cannot default. */
  tenantId(): string {
    return this.context.require().id;
  }
}

/** An EntityManager of one tenant's transaction; repositories from it see only that tenant. */
export class TenantEntityManager {
  private readonly afterCommitCallbacks: Array<() => void> = [];

  constructor(
    readonly manager: EntityManager,
    readonly tenantId: string,
  ) {}

  /**
   * Runs `callback` once the transaction has committed (never if it rolls back), e.g. to start
   * work the committed rows ask for. Only transactions of TenantConnectionProvider.transaction()
   * run these; the callback must not throw (it runs after the caller's work is done).
   */
  afterCommit(callback: () => void): void {
    this.afterCommitCallbacks.push(callback);
  }

  /** Called by whoever committed this manager's transaction. */
  runAfterCommit(): void {
    for (const callback of this.afterCommitCallbacks.splice(0)) callback();
  }

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }
}

/** Runs `work` on one connection of `dataSource`, which goes back to the pool only if it is still sound. */
async function onOneConnection<T>(dataSource: DataSource, work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
  const queryRunner = await soundQueryRunner(dataSource);
  let failure: unknown;
  try {
    return await work(queryRunner);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await releaseQueryRunner(queryRunner, failure);
  }
}

type ReachableDatabase = Extract<TenantDatabase, { reachable: true }>;

/** The bound tenant's database, or the error that says why it has none we can reach. */
function reachable(tenant: BoundTenant): ReachableDatabase {
  if (!tenant.database.reachable) throw tenant.database.failure();
  return tenant.database;
}
