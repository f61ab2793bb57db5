import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DataSourceRecords } from './data-source-records';
import { DataSourcesController } from './data-sources.controller';
import { DataSourcesService } from './data-sources.service';
import { MappingSuggestionsController } from './mapping-suggestions.controller';
import { MappingSuggestionsService } from './mapping-suggestions.service';
import { SourceProbe } from './source-probe';
import { StagedDataSourceController } from './staged-data-source.controller';
import { StagedDataSourcesService } from './staged-data-sources.service';
import { TenantDataSourceController } from './tenant-data-source.controller';
import { TenantMappingSuggestionsController } from './tenant-mapping-suggestions.controller';
import { TenantStagedDataSourceController } from './tenant-staged-data-source.controller';

/** Onboarding of byod tenants' own databases and APIs, and moves to new ones, by platform admins or the tenant's admin. */
@Module({
  imports: [AuditModule],
  controllers: [
    DataSourcesController,
    TenantDataSourceController,
    StagedDataSourceController,
    TenantStagedDataSourceController,
    MappingSuggestionsController,
    TenantMappingSuggestionsController,
  ],
  providers: [DataSourceRecords, SourceProbe, DataSourcesService, StagedDataSourcesService, MappingSuggestionsService],
  exports: [DataSourceRecords],
})
export class DataSourcesModule {}
