import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, QueryRunner } from 'typeorm';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { SessionSettings } from '../../../libs/tenancy/session-settings';
import { TenantRecord } from '../../../libs/tenancy/tenant-context';
import { boundTenantOf } from '../../../libs/tenancy/tenant-placement';
import { inTenantSnapshot } from '../../../libs/tenancy/tenant-snapshot';
import { inTenantTransaction } from '../../../libs/tenancy/tenant-transaction';
import { AppConfig } from '../../platform/config/app-config';
import { toTenantRecord } from '../tenant-binding/tenant-records';
import { WriteFreezeGate } from '../tenant-binding/write-freeze-gate';
import { TenantDirectoryService } from '../tenants/tenant-directory.service';

/** The tenant's data is not in a database of ours (byod), or it has none yet. */
export class TenantDataUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantDataUnreachableError';
  }
}

/**
 * Work on one tenant's data outside a request (archive jobs), reached as a request reaches it:
 * its placement's DataSource from the registry (counted in the connection budget), the tenant bound
 * in every transaction, row-level security applying. The tenant is read fresh from the control
 * plane, not from the directory cache: a job may follow its provisioning by milliseconds.
 */
@Injectable()
export class TenantDataSessions {
  private readonly tenancy: AppConfig['tenancy'];

  constructor(
    private readonly directory: TenantDirectoryService,
    private readonly registry: DataSourceRegistry,
    private readonly freeze: WriteFreezeGate,
    config: ConfigService<AppConfig, true>,
  ) {
    this.tenancy = config.get('tenancy', { infer: true });
  }

  /** One consistent read-only view of the tenant's data (REPEATABLE READ). */
  snapshot<T>(tenantId: string, work: (runner: QueryRunner, tenant: TenantRecord) => Promise<T>): Promise<T> {
    return this.withDatabase(tenantId, (dataSource, tenant, settings) =>
      inTenantSnapshot(dataSource, tenant.id, (runner) => work(runner, tenant), settings),
    );
  }

  /**
   * One write transaction on the tenant's data. While a move or a restore has the tenant's writes
   * frozen it waits, as a request's write does, then fails with RetryLaterException: asked once the
   * connection is leased, just before the transaction begins (the freeze's holder waits only for
   * transactions begun before the freeze).
   */
  readonly transaction = <T>(tenantId: string, work: (runner: QueryRunner, tenant: TenantRecord) => Promise<T>): Promise<T> =>
    this.withDatabase(tenantId, async (dataSource, tenant, settings) => {
      this.freeze.assertNotMoved(tenant, await this.freeze.lifted(tenant));
      return inTenantTransaction(dataSource, tenant.id, (runner) => work(runner, tenant), { settings });
    });

  /** A write transaction of the freeze's own holder (a restore over the tenant), which writes while the tenant's writes are frozen. */
  readonly transactionUnderOwnFreeze = <T>(tenantId: string, work: (runner: QueryRunner, tenant: TenantRecord) => Promise<T>): Promise<T> =>
    this.withDatabase(tenantId, (dataSource, tenant, settings) =>
      inTenantTransaction(dataSource, tenant.id, (runner) => work(runner, tenant), { settings }),
    );

  private async withDatabase<T>(
    tenantId: string,
    work: (dataSource: DataSource, tenant: TenantRecord, settings: SessionSettings) => Promise<T>,
  ): Promise<T> {
    const location = await this.directory.locate(tenantId);
    if (!location) throw new TenantDataUnreachableError(`Tenant ${tenantId} does not exist`);
    const tenant = boundTenantOf(toTenantRecord(location, this.tenancy));
    if (!tenant.database.reachable) throw new TenantDataUnreachableError(tenant.database.failure().message);
    const database = tenant.database;
    const lease = await this.registry.acquire(database.spec);
    try {
      // A session-bound database took its settings when the connection opened; others set them per transaction.
      return await work(lease.dataSource, tenant, database.transactionSettings);
    } finally {
      lease.release();
    }
  }
}
