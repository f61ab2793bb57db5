import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { AuditService } from '../audit/audit.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from '../placement/control-plane-identity';
import { TEMPLATE_PREFIX } from '../placement/tenant-database.factory';

/** PostgreSQL's duplicate_database: the name was taken by a database we did not create. */
const DUPLICATE_DATABASE = '42P04';

/**
 * The scratch databases of fleet runs (a template is built under a scratch name, then renamed).
 * Each is recorded in `fleet_migration_scratch_databases` before it is created and the record
 * removed once it is gone, so a record that outlives its run is the proof that the leftover
 * database is this control plane's: the next run drops exactly those, never a database that
 * merely carries the same prefix (another control plane's on a shared server).
 */
@Injectable()
export class FleetScratchDatabases {
  private readonly logger = new Logger(FleetScratchDatabases.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly audit: AuditService,
    private readonly identity: ControlPlaneIdentity,
  ) {}

  /** Runs `work` with a recorded scratch name on the server; afterwards the scratch is gone (renamed or dropped). */
  async use<T>(runId: string, databaseServerId: string, work: (scratchName: string) => Promise<T>): Promise<T> {
    const name = `${TEMPLATE_PREFIX}build_${randomBytes(8).toString('hex')}`;
    await this.dataSource.query(
      `INSERT INTO fleet_migration_scratch_databases (run_id, database_server_id, database_name) VALUES ($1, $2, $3)`,
      [runId, databaseServerId, name],
    );
    let ours = true;
    try {
      return await work(name);
    } catch (error) {
      if ((error as { code?: string }).code === DUPLICATE_DATABASE) ours = false;
      throw error;
    } finally {
      // After a rename there is nothing left to drop; a drop that fails keeps the record for the next run.
      const cleanUp = ours ? this.drop(databaseServerId, name) : this.forget(databaseServerId, name);
      await cleanUp.catch((error) => this.logger.warn(`Removing scratch database ${name} failed: ${messageOf(error)}`));
    }
  }

  /** Drops the scratch databases recorded by runs that are over (finished or interrupted): their runners are gone. */
  async removeLeftovers(): Promise<void> {
    const leftovers: Array<{ database_server_id: string; database_name: string; run_id: string }> = await this.dataSource.query(
      `SELECT s.database_server_id, s.database_name, s.run_id FROM fleet_migration_scratch_databases s
         JOIN fleet_migration_runs r ON r.id = s.run_id
        WHERE r.status NOT IN ('queued', 'running')`,
    );
    for (const leftover of leftovers) {
      try {
        await this.drop(leftover.database_server_id, leftover.database_name);
        await this.dataSource.transaction((manager) =>
          this.audit.record(manager, {
            action: 'fleet_migration.scratch.remove',
            targetType: 'fleet_migration',
            targetId: leftover.run_id,
            actorUserId: null,
            changes: { databaseServerId: leftover.database_server_id, database: leftover.database_name },
          }),
        );
        this.logger.log(`Dropped scratch database ${leftover.database_name} left by fleet migration ${leftover.run_id}`);
      } catch (error) {
        // The record stays, so the next run tries again; this run goes on.
        this.logger.warn(`Dropping scratch database ${leftover.database_name} failed: ${messageOf(error)}`);
      }
    }
  }

  /** Drops a recorded scratch database only if its mark is this control plane's template mark as well; the record alone is not enough. */
  private async drop(databaseServerId: string, name: string): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const found = await admin.inspectDatabase(name);
    const ourId = await this.identity.controlPlaneId();
    if (found?.mark?.controlPlaneId === ourId && found.mark.kind === 'template') {
      await admin.dropOwnedDatabase(name, found.mark);
    } else if (found) {
      this.logger.warn(`Scratch database ${name} does not carry this control plane's mark; leaving it`);
    }
    await this.forget(databaseServerId, name);
  }

  private async forget(databaseServerId: string, name: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM fleet_migration_scratch_databases WHERE database_server_id = $1 AND database_name = $2`, [
      databaseServerId,
      name,
    ]);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
