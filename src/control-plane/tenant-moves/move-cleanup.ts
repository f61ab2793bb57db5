import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { detachReplication, replicationNames } from '../../../libs/tenancy/tenant-copy/logical-replication';
import { AuditService } from '../audit/audit.service';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { TenantMove } from '../schema/tenant-move.entity';
import { MoveEnds } from './move-ends';
import { TargetClearance } from './target-clearance';

/**
 * What a move leaves behind: an abandoned move's target (its replication, then its database or its
 * rows in a pool), and a completed move's old copy once its retention time has passed. Both jobs
 * are idempotent: they look at what is still there and remove only that, under the ownership marks.
 */
@Injectable()
export class MoveCleanup {
  private readonly logger = new Logger(MoveCleanup.name);

  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly ends: MoveEnds,
    private readonly clearance: TargetClearance,
    private readonly audit: AuditService,
  ) {}

  async abandon(moveId: string): Promise<void> {
    const move = await this.dataSource.getRepository(TenantMove).findOneBy({ id: moveId });
    if (move?.status !== 'abandoning') return;
    await this.ends.both(move.source, move.target, (source, target) => detachReplication(source, target, replicationNames(move.id)));
    const removed = await this.clearance.remove(move.tenantId, move.target);
    await this.dataSource.transaction(async (manager) => {
      const { affected } = await manager.update(
        TenantMove,
        { id: moveId, status: 'abandoning' },
        { status: 'abandoned', finishedAt: new Date() },
      );
      if (!affected) return;
      await this.audit.record(manager, {
        action: 'tenant.move.abandoned',
        targetType: 'tenant',
        targetId: move.tenantId,
        tenantId: move.tenantId,
        changes: { moveId, removed },
      });
    });
    this.logger.log(`Move ${moveId} abandoned: ${removed}`);
  }

  /** A completed move's replication, dropped right after the switch (TenantMover) and again here as a backstop: idempotent. */
  async detach(moveId: string): Promise<void> {
    const move = await this.dataSource.getRepository(TenantMove).findOneBy({ id: moveId });
    if (move?.status !== 'completed' || move.copyMethod !== 'logical_replication') return;
    await this.ends.both(move.source, move.target, (source, target) => detachReplication(source, target, replicationNames(move.id)));
  }

  async removeOldCopy(moveId: string): Promise<void> {
    const move = await this.dataSource.getRepository(TenantMove).findOneBy({ id: moveId });
    if (move?.status !== 'completed' || move.sourceRemovedAt) return;
    // A publication still in place would stream the removal of the tenant's rows from a pool to where it now lives.
    await this.detach(moveId);
    const removed = await this.clearance.remove(move.tenantId, move.source);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(TenantMove, { id: moveId }, { sourceRemovedAt: new Date() });
      await this.audit.record(manager, {
        action: 'tenant.move.old_copy_removed',
        targetType: 'tenant',
        targetId: move.tenantId,
        tenantId: move.tenantId,
        changes: { moveId, removed },
      });
    });
    this.logger.log(`Old copy of move ${moveId} removed: ${removed}`);
  }
}
