import { ForbiddenException, Injectable } from '@nestjs/common';
import { MappedCollection } from '../../../libs/byod';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantMappedSources } from './tenant-mapped-sources';

/**
 * What a module's mapped store needs for each call: the current tenant's table for one entity, and
 * writes refused with 403 on a read-only source. What the tenant's system refuses is said in HTTP
 * terms by the error filter (lib-error-answers).
 */
@Injectable()
export class MappedEntities {
  constructor(
    private readonly sources: TenantMappedSources,
    private readonly context: TenantContext,
  ) {}

  read<T>(entity: string, work: (collection: MappedCollection) => Promise<T>): Promise<T> {
    return this.sources.use(entity, ({ table }) => work(table));
  }

  write<T>(entity: string, work: (collection: MappedCollection) => Promise<T>): Promise<T> {
    return this.sources.use(entity, ({ table, readOnly }) => {
      if (readOnly) throw new ForbiddenException(`The data source of tenant "${this.context.require().slug}" is read-only`);
      return work(table);
    });
  }
}
