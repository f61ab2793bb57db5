import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OwnedKind, sameMark } from '../../../libs/tenancy/ownership-mark';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from './control-plane-identity';

interface ReferencedObject {
  serverId: string;
  database: string;
  role: string | null;
  kind: OwnedKind;
  ownerId: string;
}

/**
 * Databases and roles created before ownership marks existed carry no mark, yet this control
 * plane's tenant and pool rows reference them: those rows are the proof they are ours. Once, on
 * the first start after the upgrade (control_plane_identity.legacy_marks_pending), each such object
 * that has no comment at all is marked; one with any comment is left alone and reported, since
 * something else wrote it. A server that cannot be reached keeps the flag set for the next start.
 */
@Injectable()
export class LegacyOwnershipMarks implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegacyOwnershipMarks.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly identity: ControlPlaneIdentity,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Never keeps the app from starting: unmarked objects are only refused, never harmed.
    await this.markPending().catch((error: unknown) => this.logger.warn(`Marking pre-existing tenant databases failed: ${String(error)}`));
  }

  async markPending(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // One process does it; the others, starting at the same time, go on without waiting.
      const pending = await manager.query<unknown[]>(
        'SELECT 1 FROM control_plane_identity WHERE legacy_marks_pending FOR UPDATE SKIP LOCKED',
      );
      if (pending.length === 0) return;
      const referenced: ReferencedObject[] = await manager.query(
        `SELECT database_server_id AS "serverId", database_name AS database, database_role AS role, 'tenant' AS kind, id AS "ownerId"
           FROM tenants WHERE database_name IS NOT NULL AND database_server_id IS NOT NULL
         UNION ALL SELECT database_server_id, database_name, app_role, 'pool', id FROM tenant_pools`,
      );
      let unfinished = 0;
      for (const serverId of new Set(referenced.map((object) => object.serverId))) {
        try {
          await this.markOn(
            serverId,
            referenced.filter((object) => object.serverId === serverId),
          );
        } catch (error) {
          unfinished += 1;
          this.logger.warn(`Could not mark the tenant databases on server ${serverId} (next start tries again): ${String(error)}`);
        }
      }
      if (unfinished === 0) await manager.query('UPDATE control_plane_identity SET legacy_marks_pending = false');
    });
  }

  private async markOn(serverId: string, objects: ReferencedObject[]): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(serverId));
    for (const object of objects) {
      const mark = await this.identity.markFor({ kind: object.kind, ownerId: object.ownerId });
      const database = await admin.inspectDatabase(object.database);
      if (database?.comment === null) await admin.markDatabase(object.database, mark);
      else if (database && !sameMark(database.mark, mark))
        this.logger.warn(`Database ${object.database} carries another comment or mark; left as it is`);
      if (!object.role) continue;
      const role = await admin.inspectRole(object.role);
      if (role?.comment === null) await admin.markRole(object.role, mark);
      else if (role && !sameMark(role.mark, mark)) this.logger.warn(`Role ${object.role} carries another comment or mark; left as it is`);
    }
  }
}
