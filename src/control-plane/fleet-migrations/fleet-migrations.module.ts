import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { PlacementModule } from '../placement/placement.module';
import { FleetMigrationQueue } from './fleet-migration-queue';
import { FleetMigrationService } from './fleet-migration.service';
import { FleetMigrationsController } from './fleet-migrations.controller';
import { FleetRunLiveness } from './fleet-run-liveness';
import { FleetScratchDatabases } from './fleet-scratch-databases';

/** Upgrading every tenant database to the app's tenant schema, from the CLI or the queue. */
@Module({
  imports: [AuditModule, DatabaseServersModule, PlacementModule],
  controllers: [FleetMigrationsController],
  providers: [FleetMigrationService, FleetMigrationQueue, FleetRunLiveness, FleetScratchDatabases],
  exports: [FleetMigrationService],
})
export class FleetMigrationsModule {}
