import { Module } from '@nestjs/common';
import { TenantMappedSources } from './tenant-mapped-sources';

/** Serving `byod` tenants' entities from their own databases through their mappings. */
@Module({
  providers: [TenantMappedSources],
  exports: [TenantMappedSources],
})
export class ByodModule {}
