import { Module } from '@nestjs/common';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { TenantDatabaseFactory } from './tenant-database.factory';

@Module({
  imports: [DatabaseServersModule],
  providers: [TenantDatabaseFactory],
  exports: [TenantDatabaseFactory],
})
export class PlacementModule {}
