import { Global, Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { TenantAuditController } from './tenant-audit.controller';
import { AuditModule } from '../../control-plane/audit/audit.module';
import { DataAuditStores } from './data-audit-stores';
import { SourceDataAuditStore } from './source-data-audit.store';
import { TenantAuditService } from './tenant-audit.service';
import { TENANT_AUDIT_MODULE } from './tenant-audit.declaration';

/**
 * The tenant's data audit trail: every domain module records its changes through TenantAuditService;
 * a byod tenant's writes to its own system are recorded in the control plane (SourceDataAudit).
 */
@Global()
@Module({
  imports: [TenantModuleRegistration.forFeature(TENANT_AUDIT_MODULE), AuditModule],
  controllers: [TenantAuditController],
  providers: [TenantAuditService, SourceDataAuditStore, DataAuditStores],
  exports: [TenantAuditService],
})
export class TenantAuditModule {}
