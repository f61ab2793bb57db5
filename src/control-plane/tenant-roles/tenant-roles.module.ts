import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TenantRolesService } from './tenant-roles.service';

@Module({
  imports: [AuditModule],
  providers: [TenantRolesService],
  exports: [TenantRolesService],
})
export class TenantRolesModule {}
