import { Global, Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { TenantAuditController } from './tenant-audit.controller';
import { TenantAuditService } from './tenant-audit.service';
import { TENANT_AUDIT_MODULE } from './tenant-audit.declaration';

/** The tenant's data audit trail: every domain module records its changes through TenantAuditService. */
@Global()
@Module({
  imports: [TenantModuleRegistration.forFeature(TENANT_AUDIT_MODULE)],
  controllers: [TenantAuditController],
  providers: [TenantAuditService],
  exports: [TenantAuditService],
})
export class TenantAuditModule {}
