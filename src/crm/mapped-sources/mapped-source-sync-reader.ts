import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { OpenSyncSource, SourceSyncReader, SourceSyncReaders } from '../../control-plane/source-sync/source-sync-reader';
import { TenantMappedSources } from './tenant-mapped-sources';

/** Lets the control plane's background sync read byod tenants' systems through this process's pools and breakers. */
@Injectable()
export class MappedSourceSyncReader implements SourceSyncReader, OnModuleInit {
  constructor(
    private readonly readers: SourceSyncReaders,
    private readonly sources: TenantMappedSources,
    private readonly directory: TenantDirectoryCache,
  ) {}

  onModuleInit(): void {
    this.readers.provide(this);
  }

  async read<T>(tenantId: string, work: (source: OpenSyncSource) => Promise<T>): Promise<T> {
    const tenant = await this.directory.find(tenantId);
    if (!tenant) throw new NotFoundException(`Tenant ${tenantId} not found`);
    return this.sources.forSync(tenant, work);
  }
}
