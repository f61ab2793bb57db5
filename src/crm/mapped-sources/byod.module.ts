import { Module } from '@nestjs/common';
import { AuditModule } from '../../control-plane/audit/audit.module';
import { SourceSyncModule } from '../../control-plane/source-sync/source-sync.module';
import { MappedSourceSyncReader } from './mapped-source-sync-reader';
import { MappedEntities } from './mapped-entities';
import { OpenSourcesWatch } from './open-sources-watch';
import { TenantMappedSources } from './tenant-mapped-sources';

/** Serving `byod` tenants' entities from their own databases through their mappings. */
@Module({
  imports: [AuditModule, SourceSyncModule],
  providers: [TenantMappedSources, OpenSourcesWatch, MappedEntities, MappedSourceSyncReader],
  exports: [MappedEntities],
})
export class ByodModule {}
