import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { MoveEnd, TenantMove } from '../schema/tenant-move.entity';
import { Tenant } from '../schema/tenant.entity';
import { MoveEnds, sameEnd } from './move-ends';

/**
 * Removes a tenant's copy at one end of a move: its rows in a pooled database (which must carry
 * the pool's ownership mark), or its dedicated database and role (which must carry the tenant's).
 * Never where the tenant lives now: the tenant row is locked and its placement compared first, and
 * the lock is held while the copy goes, so a switch cannot make the copy live meanwhile.
 */
@Injectable()
export class TargetClearance {
  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly databases: TenantDatabaseFactory,
    private readonly ends: MoveEnds,
  ) {}

  /** Deletes the tenant's rows at `end` (a move's target being prepared again); returns how many went. */
  async clearTenantRows(move: TenantMove, end: MoveEnd): Promise<number> {
    return this.whileNotLiving(move.tenantId, end, async () => {
      const deleted =
        end.placement === 'pooled'
          ? await this.databases.deletePooledTenantRows(
              end.databaseServerId,
              end.databaseName,
              { kind: 'pool', ownerId: end.tenantPoolId! },
              move.tenantId,
            )
          : await new PostgresAdmin(await this.ends.connection(end)).deleteTenantRows(end.databaseName, move.tenantId);
      // An older move's retained copy in the same place is gone with them.
      await this.dataSource.query(
        `UPDATE tenant_moves SET source_removed_at = now() WHERE tenant_id = $1 AND status = 'completed' AND source_removed_at IS NULL
            AND source->>'databaseServerId' = $2 AND source->>'databaseName' = $3`,
        [move.tenantId, end.databaseServerId, end.databaseName],
      );
      return Object.values(deleted).reduce((sum, rows) => sum + rows, 0);
    });
  }

  /** Removes the tenant's copy at `end` altogether: the dedicated database and role, or the rows in the pool. */
  async remove(tenantId: string, end: MoveEnd): Promise<string> {
    return this.whileNotLiving(tenantId, end, async () => {
      if (end.placement === 'dedicated') {
        await this.databases.drop(end.databaseServerId, end.databaseName, end.databaseRole!, { kind: 'tenant', ownerId: tenantId });
        return `database ${end.databaseName} and role ${end.databaseRole} dropped`;
      }
      const deleted = await this.databases.deletePooledTenantRows(
        end.databaseServerId,
        end.databaseName,
        { kind: 'pool', ownerId: end.tenantPoolId! },
        tenantId,
      );
      return `${Object.values(deleted).reduce((sum, rows) => sum + rows, 0)} rows deleted from ${end.databaseName}`;
    });
  }

  private async whileNotLiving<T>(tenantId: string, end: MoveEnd, action: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (tenant && sameEnd(liveEnd(tenant, end), end)) {
        throw new ConflictException(`Tenant ${tenantId} lives in ${end.databaseName}; its data there is not removed`);
      }
      return action();
    });
  }
}

/** Where the tenant's rows live now, in the terms of `end` (a pooled tenant's database is its pool's). */
function liveEnd(tenant: Tenant, end: MoveEnd): Partial<MoveEnd> {
  if (tenant.placement === 'dedicated')
    return { databaseServerId: tenant.databaseServerId ?? undefined, databaseName: tenant.databaseName ?? undefined };
  if (tenant.placement === 'pooled' && end.placement === 'pooled' && tenant.tenantPoolId === end.tenantPoolId) return end;
  return {};
}
