import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DataSourcesController } from './data-sources.controller';
import { DataSourcesService } from './data-sources.service';

/** Onboarding of byod tenants' own databases and APIs. */
@Module({
  imports: [AuditModule],
  controllers: [DataSourcesController],
  providers: [DataSourcesService],
})
export class DataSourcesModule {}
