import { Module } from '@nestjs/common';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { ControlPlaneIdentity } from './control-plane-identity';
import { LegacyOwnershipMarks } from './legacy-ownership-marks';
import { TenantDatabaseFactory } from './tenant-database.factory';

@Module({
  imports: [DatabaseServersModule],
  providers: [TenantDatabaseFactory, ControlPlaneIdentity, LegacyOwnershipMarks],
  exports: [TenantDatabaseFactory, ControlPlaneIdentity],
})
export class PlacementModule {}
