import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TenantSettingsService } from './tenant-settings.service';

/** Tenant profile, settings and enabled modules, behind one writer. */
@Module({
  imports: [AuditModule],
  providers: [TenantSettingsService],
  exports: [TenantSettingsService],
})
export class TenantSettingsModule {}
