import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantDataSource } from '../schema/tenant-data-source.entity';

/** A byod tenant's data source as serving its entities needs it: the mapping, and the settings still encrypted. */
export type StoredTenantSource = Pick<
  TenantDataSource,
  'kind' | 'readOnly' | 'status' | 'introspection' | 'mappings' | 'settingsEncrypted'
>;

/** Reads the data source of a byod tenant for the modules that serve its entities. */
@Injectable()
export class TenantSourceSettings {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ofTenant(tenantId: string): Promise<StoredTenantSource | null> {
    return this.dataSource
      .getRepository(TenantDataSource)
      .createQueryBuilder('source')
      .addSelect('source.settingsEncrypted')
      .where('source.tenantId = :id', { id: tenantId })
      .getOne();
  }
}
