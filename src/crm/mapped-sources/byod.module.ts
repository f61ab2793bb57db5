import { Module } from '@nestjs/common';
import { AuditModule } from '../../control-plane/audit/audit.module';
import { MappedEntities } from './mapped-entities';
import { OpenSourcesWatch } from './open-sources-watch';
import { TenantMappedSources } from './tenant-mapped-sources';

/** Serving `byod` tenants' entities from their own databases through their mappings. */
@Module({
  imports: [AuditModule],
  providers: [TenantMappedSources, OpenSourcesWatch, MappedEntities],
  exports: [MappedEntities],
})
export class ByodModule {}
