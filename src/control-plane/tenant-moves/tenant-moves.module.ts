import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { PlacementModule } from '../placement/placement.module';
import { MoveCleanup } from './move-cleanup';
import { MoveEnds } from './move-ends';
import { ServerDrainController } from './server-drain.controller';
import { TargetClearance } from './target-clearance';
import { TenantMoveQueue } from './tenant-move-queue';
import { TenantMoveWorker } from './tenant-move.worker';
import { TenantMover } from './tenant-mover';
import { TenantMovesController } from './tenant-moves.controller';
import { TenantMovesService } from './tenant-moves.service';

/** Online moves of a tenant's data between placements and servers, and draining a server. */
@Module({
  imports: [AuditModule, DatabaseServersModule, PlacementModule],
  controllers: [TenantMovesController, ServerDrainController],
  providers: [TenantMovesService, TenantMoveQueue, TenantMover, TenantMoveWorker, MoveCleanup, MoveEnds, TargetClearance],
  exports: [TenantMovesService],
})
export class TenantMovesModule {}
