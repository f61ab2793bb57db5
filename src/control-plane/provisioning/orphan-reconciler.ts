import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MarkedObject, PostgresAdmin, SCRATCH_PREFIX } from '../../../libs/tenancy/postgres-admin';
import { AuditService } from '../audit/audit.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from '../placement/control-plane-identity';
import { TEMPLATE_PREFIX } from '../placement/tenant-database.factory';

export interface OrphanReport {
  databaseServerId: string;
  databases: string[];
  roles: string[];
}

interface Orphans {
  databases: MarkedObject[];
  roles: MarkedObject[];
}

const TEMPLATE_BUILD_PREFIX = `${TEMPLATE_PREFIX}build_`;

/**
 * Finds databases and roles on registered servers that carry this control plane's ownership mark
 * but that no tenant or pool row owns (e.g. left by a provisioning that crashed between creating a
 * database and recording it, or by a purge cut short), and removes the ones an operator names.
 * Names prove nothing: an object without our mark (another control plane's on a shared server,
 * or anybody's) is never listed, and never dropped.
 */
@Injectable()
export class OrphanReconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly identity: ControlPlaneIdentity,
    private readonly audit: AuditService,
  ) {}

  async find(): Promise<OrphanReport[]> {
    const servers: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM database_servers WHERE status = 'active' ORDER BY created_at`,
    );
    const reports: OrphanReport[] = [];
    for (const server of servers) {
      const orphans = await this.findOn(server.id);
      reports.push({ databaseServerId: server.id, databases: names(orphans.databases), roles: names(orphans.roles) });
    }
    return reports;
  }

  /**
   * Removes the named databases and roles that are still our orphans: marks and rows are read
   * again now, and each drop checks the mark once more; anything else named is left alone.
   */
  async remove(databaseServerId: string, wanted: { databases: string[]; roles: string[] }): Promise<OrphanReport> {
    const orphans = await this.findOn(databaseServerId);
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const databases = orphans.databases.filter((orphan) => wanted.databases.includes(orphan.name));
    const roles = orphans.roles.filter((orphan) => wanted.roles.includes(orphan.name));
    for (const database of databases) await admin.dropOwnedDatabase(database.name, database.mark);
    for (const role of roles) await admin.dropOwnedRole(role.name, role.mark);
    const removed = { databases: names(databases), roles: names(roles) };
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        action: 'provisioning.orphans.remove',
        targetType: 'database_server',
        targetId: databaseServerId,
        changes: removed,
      }),
    );
    return { databaseServerId, ...removed };
  }

  private async findOn(databaseServerId: string): Promise<Orphans> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const marked = await admin.markedBy(await this.identity.controlPlaneId());
    // A fleet run still going owns the scratch database it recorded: it renames or drops it itself.
    const owned: Array<{ database: string | null; role: string | null }> = await this.dataSource.query(
      `SELECT database_name AS database, database_role AS role FROM tenants WHERE database_server_id = $1
       UNION ALL SELECT database_name, app_role FROM tenant_pools WHERE database_server_id = $1
       UNION ALL SELECT s.database_name, NULL FROM fleet_migration_scratch_databases s
                  JOIN fleet_migration_runs r ON r.id = s.run_id
                 WHERE s.database_server_id = $1 AND r.status IN ('queued', 'running')`,
      [databaseServerId],
    );
    const ownedDatabases = new Set(owned.map((row) => row.database));
    const ownedRoles = new Set(owned.map((row) => row.role));
    return {
      databases: marked.databases.filter(
        (object) => !ownedDatabases.has(object.name) && (object.mark.kind !== 'template' || isUnfinishedBuild(object.name)),
      ),
      roles: marked.roles.filter((object) => !ownedRoles.has(object.name)),
    };
  }
}

/** A finished template is in use; a build or creation that never reached its final name is not. */
function isUnfinishedBuild(name: string): boolean {
  return name.startsWith(TEMPLATE_BUILD_PREFIX) || name.startsWith(SCRATCH_PREFIX);
}

function names(objects: MarkedObject[]): string[] {
  return objects.map((object) => object.name);
}
