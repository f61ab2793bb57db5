import { Global, Module } from '@nestjs/common';
import { TenantAuditController } from './tenant-audit.controller';
import { TenantAuditService } from './tenant-audit.service';

/** The tenant's data audit trail: every domain module records its changes through TenantAuditService. */
@Global()
@Module({
  controllers: [TenantAuditController],
  providers: [TenantAuditService],
  exports: [TenantAuditService],
})
export class TenantAuditModule {}
