import { ForbiddenException, Injectable } from '@nestjs/common';
import { MappedCollection } from '../../../libs/byod';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { onTenantSource } from './source-errors';
import { TenantMappedSources } from './tenant-mapped-sources';

/**
 * What a module's mapped store needs for each call: the current tenant's table for one entity,
 * errors said in HTTP terms, and writes refused with 403 on a read-only source.
 */
@Injectable()
export class MappedEntities {
  constructor(
    private readonly sources: TenantMappedSources,
    private readonly context: TenantContext,
  ) {}

  read<T>(entity: string, work: (collection: MappedCollection) => Promise<T>): Promise<T> {
    return onTenantSource(async () => work((await this.sources.entity(entity)).table));
  }

  write<T>(entity: string, work: (collection: MappedCollection) => Promise<T>): Promise<T> {
    return onTenantSource(async () => {
      const { table, readOnly } = await this.sources.entity(entity);
      if (readOnly) throw new ForbiddenException(`The data source of tenant "${this.context.require().slug}" is read-only`);
      return work(table);
    });
  }
}
