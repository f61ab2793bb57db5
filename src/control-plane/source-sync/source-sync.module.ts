import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { SourceSyncAttempts } from './source-sync-attempts';
import { SourceSyncController } from './source-sync.controller';
import { SourceSyncQueue } from './source-sync-queue';
import { SourceSyncReaders } from './source-sync-reader';
import { SourceSyncRuns } from './source-sync-runs.service';
import { SourceSyncSettings } from './source-sync-settings.service';
import { SourceSyncWorker } from './source-sync.worker';
import { SourceSyncer } from './source-syncer';
import { TenantSourceSyncController } from './tenant-source-sync.controller';

/**
 * Background sync of byod tenants' systems: settings, manual and scheduled runs with their history,
 * and the job that raises domain events for what changed there. The domain tier provides the reader
 * (SourceSyncReaders) that reaches the tenants' systems.
 */
@Module({
  imports: [AuditModule, DataSourcesModule],
  controllers: [SourceSyncController, TenantSourceSyncController],
  providers: [SourceSyncReaders, SourceSyncQueue, SourceSyncer, SourceSyncAttempts, SourceSyncRuns, SourceSyncSettings, SourceSyncWorker],
  exports: [SourceSyncReaders],
})
export class SourceSyncModule {}
