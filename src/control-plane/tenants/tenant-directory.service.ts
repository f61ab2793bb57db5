import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { poolSecretScope } from '../tenant-pools/tenant-pools.service';
import { Placement, TenantStatus } from '../schema/tenant.entity';
import { tenantSecretScope } from '../schema/tenant-secrets';

/** The start of every DataSource key a dedicated tenant has had (one per database it lived in). */
export const dedicatedDataSourceKeyPrefix = (tenantId: string): string => `tenant:${tenantId}@`;

/**
 * A dedicated tenant's DataSource key names its database too (a short hash of server and name, so the key fits in
 * application_name): after a move, a request still bound to the old copy can only ever open or reuse a DataSource of
 * the old copy, never hand one to the requests that already see the new placement.
 */
function dedicatedDataSourceKey(tenantId: string, serverId: string, database: string): string {
  const where = createHash('sha256').update(`${serverId}/${database}`).digest('hex').slice(0, 8);
  return `${dedicatedDataSourceKeyPrefix(tenantId)}${where}`;
}

/** Where one tenant's data lives, as the control plane records it. */
export interface TenantLocation {
  id: string;
  slug: string;
  status: TenantStatus;
  placement: Placement;
  enabledModules: string[];
  /** Tenant schema version of its database (a pooled tenant's is its pool's). */
  schemaVersion: string | null;
  /** `pool:<id>` (shared by the pool's tenants) or `tenant:<id>@<where>` (dedicatedDataSourceKey); null when it has no database. */
  dataSourceKey: string | null;
  /** The database server its database is on (null when it has none): its DataSource counts against that server's budget. */
  databaseServerId: string | null;
  /** A move is switching its placement: its writes wait (or get 503) until the freeze ends. */
  writesFrozen: boolean;
  /** Its server's tenant connections go through a transaction-mode pooler (database_servers.behind_transaction_pooler). */
  behindTransactionPooler: boolean;
  /** Decrypts the credentials; called only when a connection must be opened (through the server's pooler, if it has one). */
  connection: (() => { host: string; port: number; database: string; user: string; password: string }) | null;
}

interface LocationRow {
  id: string;
  slug: string;
  status: TenantStatus;
  placement: Placement;
  enabled_modules: string[];
  schema_version: string | null;
  writes_frozen: boolean;
  server_id: string | null;
  host: string | null;
  port: number | null;
  behind_transaction_pooler: boolean | null;
  pool_id: string | null;
  pool_database: string | null;
  pool_role: string | null;
  pool_password: string | null;
  database_name: string | null;
  database_role: string | null;
  database_password: string | null;
}

@Injectable()
export class TenantDirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  async locate(reference: string): Promise<TenantLocation | null> {
    const byId = isUUID(reference);
    const rows: LocationRow[] = await this.dataSource.query(
      `SELECT t.id, t.slug, t.status, t.placement, t.enabled_modules, COALESCE(p.schema_version, t.schema_version) AS schema_version,
              t.writes_frozen_at IS NOT NULL AS writes_frozen, s.id AS server_id,
              COALESCE(s.pooler_host, s.host) AS host, COALESCE(s.pooler_port, s.port) AS port, s.behind_transaction_pooler,
              p.id AS pool_id, p.database_name AS pool_database, p.app_role AS pool_role, p.app_password_encrypted AS pool_password,
              t.database_name, t.database_role, t.database_password_encrypted AS database_password
         FROM tenants t
         LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id
         LEFT JOIN database_servers s ON s.id = COALESCE(t.database_server_id, p.database_server_id)
        WHERE ${byId ? 't.id = $1::uuid' : 't.slug = $1'}`,
      [reference],
    );
    const row = rows[0];
    return row ? this.toLocation(row) : null;
  }

  private toLocation(row: LocationRow): TenantLocation {
    const base = {
      id: row.id,
      slug: row.slug,
      status: row.status,
      placement: row.placement,
      enabledModules: row.enabled_modules,
      schemaVersion: row.schema_version,
      writesFrozen: row.writes_frozen,
      databaseServerId: row.server_id,
      behindTransactionPooler: row.behind_transaction_pooler === true,
    };
    const host = row.host?.replace(/^\[|\]$/g, '');
    if (row.pool_id && host && row.pool_database && row.pool_role && row.pool_password) {
      const { pool_id: poolId, pool_database: database, pool_role: user, pool_password: encrypted, port } = row;
      return {
        ...base,
        dataSourceKey: `pool:${poolId}`,
        connection: () => ({ host, port: port!, database, user, password: this.cipher.decrypt(encrypted, poolSecretScope(poolId)) }),
      };
    }
    if (row.database_name && host && row.database_role && row.database_password) {
      const { database_name: database, database_role: user, database_password: encrypted, port } = row;
      return {
        ...base,
        dataSourceKey: dedicatedDataSourceKey(row.id, row.server_id!, database),
        connection: () => ({ host, port: port!, database, user, password: this.cipher.decrypt(encrypted, tenantSecretScope(row.id)) }),
      };
    }
    return { ...base, dataSourceKey: null, connection: null };
  }
}
