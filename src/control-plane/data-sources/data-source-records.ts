import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DataSourceSettings } from '../../../libs/byod';
import { SecretCipher } from '../../../libs/secrets';
import { TenantDataSource } from '../schema/tenant-data-source.entity';
import { TenantStagedDataSource } from '../schema/tenant-staged-data-source.entity';
import { Tenant } from '../schema/tenant.entity';
import { dataSourceSecretScope, stagedDataSourceSecretScope } from './data-source-secrets';

/**
 * A byod tenant's data-source rows, read through the caller's manager (inside its transaction
 * when it has one) with their settings decrypted, and settings sealed for storing: the one place
 * that knows which secret scope belongs to which row.
 */
@Injectable()
export class DataSourceRecords {
  constructor(private readonly cipher: SecretCipher) {}

  async byodTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId } });
    if (!tenant || tenant.status === 'purged') throw new NotFoundException(`Tenant ${tenantId} not found`);
    if (tenant.placement !== 'byod') {
      throw new ConflictException(`Tenant "${tenant.slug}" is ${tenant.placement}; only a byod tenant has a data source of its own`);
    }
    return tenant;
  }

  async active(
    manager: EntityManager,
    tenantId: string,
    forUpdate = false,
  ): Promise<{ source: TenantDataSource; settings: DataSourceSettings }> {
    const source = await withSettings(manager, TenantDataSource, tenantId, forUpdate).getOne();
    if (!source)
      throw new NotFoundException(
        'This tenant has no data source yet: set one first (PUT /api/tenant/data-source as its tenant admin, or PUT /control/tenants/{id}/data-source as a platform admin)',
      );
    return { source, settings: this.open(source.settingsEncrypted, dataSourceSecretScope(tenantId)) };
  }

  async staged(
    manager: EntityManager,
    tenantId: string,
    forUpdate = false,
  ): Promise<{ staged: TenantStagedDataSource; settings: DataSourceSettings }> {
    const staged = await withSettings(manager, TenantStagedDataSource, tenantId, forUpdate).getOne();
    if (!staged) throw new NotFoundException('This tenant has no staged data source: stage one first (PUT …/data-source/staged)');
    return { staged, settings: this.open(staged.settingsEncrypted, stagedDataSourceSecretScope(tenantId)) };
  }

  sealActive(tenantId: string, settings: DataSourceSettings): string {
    return this.cipher.encrypt(JSON.stringify(settings), dataSourceSecretScope(tenantId));
  }

  sealStaged(tenantId: string, settings: DataSourceSettings): string {
    return this.cipher.encrypt(JSON.stringify(settings), stagedDataSourceSecretScope(tenantId));
  }

  private open(sealed: string, scope: string): DataSourceSettings {
    return JSON.parse(this.cipher.decrypt(sealed, scope)) as DataSourceSettings;
  }
}

function withSettings<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  tenantId: string,
  forUpdate: boolean,
): SelectQueryBuilder<T> {
  const builder = manager
    .getRepository(entity)
    .createQueryBuilder('source')
    .addSelect('source.settingsEncrypted')
    .where('source.tenantId = :tenantId', { tenantId });
  return forUpdate ? builder.setLock('pessimistic_write') : builder;
}
