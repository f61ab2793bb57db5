import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DataSourcesController } from './data-sources.controller';
import { DataSourcesService } from './data-sources.service';
import { TenantDataSourceController } from './tenant-data-source.controller';

/** Onboarding of byod tenants' own databases and APIs, by platform admins or the tenant's admin. */
@Module({
  imports: [AuditModule],
  controllers: [DataSourcesController, TenantDataSourceController],
  providers: [DataSourcesService],
})
export class DataSourcesModule {}
