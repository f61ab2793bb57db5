import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClsService } from 'nestjs-cls';
import { EntityManager } from 'typeorm';
import { TenantConnectionProvider } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { boundTenantOf } from '../../../libs/tenancy/tenant-placement';
import { AppConfig } from '../../platform/config/app-config';
import { TENANT_MODULE_REGISTRY } from '../../platform/tenant-modules/tenant-module-registry';
import { TenantMeasurement } from './tenant-measurement';

const STORAGE_NOTES = {
  dedicated: 'the dedicated database’s size on disk (pg_database_size): tables, indexes, TOAST, free space and the empty schema',
  pooled:
    'the tenant’s rows in the pooled database (pg_column_size of each row, compressed values as stored); ' +
    'indexes, dead tuples, page and row headers, TOAST chunk overhead and free space are shared and not counted',
  byod: 'the tenant’s data lives in its own system, which is not ours to count',
} as const;

/**
 * Measures one tenant's data: rows of each table the tenant modules declare, and storage as its
 * placement allows it to be measured honestly. Tenant data is reached the way a request reaches
 * it, through the connection provider with the tenant bound (row-level security applies), in one
 * transaction whose statements are cut off by a statement timeout.
 */
@Injectable()
export class TenantUsageMeasurer {
  private readonly statementTimeoutMs: number;

  constructor(
    private readonly directory: TenantDirectoryCache,
    private readonly cls: ClsService,
    private readonly context: TenantContext,
    private readonly provider: TenantConnectionProvider,
    config: ConfigService<AppConfig, true>,
  ) {
    this.statementTimeoutMs = config.get('usage.measureStatementTimeoutMs', { infer: true });
  }

  /** Null when the tenant is not active: it has no data to serve, so nothing to measure. */
  async measure(tenantId: string): Promise<TenantMeasurement | null> {
    const record = await this.directory.find(tenantId);
    if (!record || record.status !== 'active') return null;
    if (record.placement === 'byod') return { rowsByEntity: {}, storageBytes: 0, storageNote: STORAGE_NOTES.byod };
    const tenant = boundTenantOf(record);
    const dedicated = record.placement === 'dedicated';
    return this.cls.run(() => {
      this.context.set(tenant);
      return this.provider.transaction(({ manager }) => this.measureTables(manager, tenant.id, dedicated));
    });
  }

  private async measureTables(manager: EntityManager, tenantId: string, dedicated: boolean): Promise<TenantMeasurement> {
    await manager.query(`SET LOCAL statement_timeout = ${Math.trunc(this.statementTimeoutMs)}`);
    const declared = [...new Set(TENANT_MODULE_REGISTRY.entities.map((entity) => manager.connection.getMetadata(entity).tableName))];
    // A database a fleet migration has not reached yet may lack a newer module's tables.
    const present: Array<{ name: string }> = await manager.query(
      `SELECT t.name FROM unnest($1::text[]) AS t (name) WHERE to_regclass(quote_ident(t.name)) IS NOT NULL`,
      [declared],
    );
    const rowsByEntity: Record<string, number> = {};
    let rowBytes = 0;
    for (const { name } of present) {
      const [row]: Array<{ rows: string; bytes: string }> = await manager.query(
        `SELECT count(*)::bigint AS rows, coalesce(sum(pg_column_size(t.*)), 0)::bigint AS bytes
           FROM ${manager.connection.driver.escape(name)} t WHERE t.tenant_id = $1`,
        [tenantId],
      );
      rowsByEntity[name] = Number(row.rows);
      rowBytes += Number(row.bytes);
    }
    if (!dedicated) return { rowsByEntity, storageBytes: rowBytes, storageNote: STORAGE_NOTES.pooled };
    const [database]: Array<{ bytes: string }> = await manager.query(`SELECT pg_database_size(current_database())::bigint AS bytes`);
    return { rowsByEntity, storageBytes: Number(database.bytes), storageNote: STORAGE_NOTES.dedicated };
  }
}
