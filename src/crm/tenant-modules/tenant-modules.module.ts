import { Module } from '@nestjs/common';
import { AuditModule } from '../../control-plane/audit/audit.module';
import { TenantModulesController } from './tenant-modules.controller';
import { TenantModulesService } from './tenant-modules.service';

/** /api/tenant/modules and /api/tenant/settings: which modules a tenant uses, within its plan. */
@Module({
  imports: [AuditModule],
  controllers: [TenantModulesController],
  providers: [TenantModulesService],
  exports: [TenantModulesService],
})
export class TenantModulesModule {}
