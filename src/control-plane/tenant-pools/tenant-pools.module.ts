import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PlacementModule } from '../placement/placement.module';
import { TenantPoolsController } from './tenant-pools.controller';
import { TenantPoolsService } from './tenant-pools.service';

@Module({
  imports: [AuditModule, PlacementModule],
  controllers: [TenantPoolsController],
  providers: [TenantPoolsService],
  exports: [TenantPoolsService],
})
export class TenantPoolsModule {}
