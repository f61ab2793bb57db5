import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantDataSource } from '../schema/tenant-data-source.entity';

/** A byod tenant's data source as serving its entities needs it: the mapping, and the settings still encrypted. */
export type StoredTenantSource = Pick<
  TenantDataSource,
  'kind' | 'readOnly' | 'status' | 'introspection' | 'mappings' | 'settingsEncrypted' | 'revision'
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

  /**
   * The revision of the tenant's data source (every change of it moves the revision on), or null
   * when it has none: one primary-key lookup, cheap enough to make on every request it serves.
   */
  async revisionOf(tenantId: string): Promise<number | null> {
    const rows = await this.dataSource.query<Array<{ revision: number }>>('SELECT revision FROM tenant_data_sources WHERE tenant_id = $1', [
      tenantId,
    ]);
    return rows[0]?.revision ?? null;
  }
}
