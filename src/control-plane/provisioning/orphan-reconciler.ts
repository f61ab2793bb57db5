import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { AuditService } from '../audit/audit.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { TEMPLATE_PREFIX } from '../placement/tenant-database.factory';

export interface OrphanReport {
  databaseServerId: string;
  databases: string[];
  roles: string[];
}

const TENANT_DATABASE_PREFIX = 'tenant_';
const POOL_DATABASE_PREFIX = 'tenantry_pool_';
const TEMPLATE_BUILD_PREFIX = `${TEMPLATE_PREFIX}build_`;

/**
 * Finds tenant databases and roles on registered servers that no tenant or pool of this control
 * plane owns (e.g. left by a provisioning that crashed between creating a database and recording
 * it, or by a purge cut short), and removes the ones an operator names. Several control planes
 * may share a server, so nothing is removed without being named.
 */
@Injectable()
export class OrphanReconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly audit: AuditService,
  ) {}

  async find(): Promise<OrphanReport[]> {
    const servers: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM database_servers WHERE status = 'active' ORDER BY created_at`);
    const reports: OrphanReport[] = [];
    for (const server of servers) {
      reports.push(await this.findOn(server.id));
    }
    return reports;
  }

  /** Removes the named databases and roles that are still orphans; anything else named is left alone. */
  async remove(databaseServerId: string, names: { databases: string[]; roles: string[] }): Promise<OrphanReport> {
    const orphans = await this.findOn(databaseServerId);
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const databases = names.databases.filter((name) => orphans.databases.includes(name));
    const roles = names.roles.filter((name) => orphans.roles.includes(name));
    for (const database of databases) await admin.dropDatabase(database);
    for (const role of roles) await admin.dropRole(role);
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, { action: 'provisioning.orphans.remove', targetType: 'database_server', targetId: databaseServerId, changes: { databases, roles } }),
    );
    return { databaseServerId, databases, roles };
  }

  private async findOn(databaseServerId: string): Promise<OrphanReport> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const owned: Array<{ database: string | null; role: string | null }> = await this.dataSource.query(
      `SELECT database_name AS database, database_role AS role FROM tenants WHERE database_server_id = $1
       UNION ALL SELECT database_name, app_role FROM tenant_pools WHERE database_server_id = $1`,
      [databaseServerId],
    );
    const ownedDatabases = new Set(owned.map((row) => row.database));
    const ownedRoles = new Set(owned.map((row) => row.role));
    const databases = [
      ...(await admin.databasesLike(TENANT_DATABASE_PREFIX)),
      ...(await admin.databasesLike(POOL_DATABASE_PREFIX)),
      ...(await admin.databasesLike(TEMPLATE_BUILD_PREFIX)),
    ].filter((name) => !ownedDatabases.has(name));
    const roles = [...(await admin.rolesLike(TENANT_DATABASE_PREFIX)), ...(await admin.rolesLike(POOL_DATABASE_PREFIX))].filter(
      (name) => name.endsWith('_app') && !ownedRoles.has(name),
    );
    return { databaseServerId, databases, roles };
  }
}
