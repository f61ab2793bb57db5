import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { TenantDataSource } from '../schema/tenant-data-source.entity';
import { MembershipsService } from '../memberships/memberships.service';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { TenantPool } from '../schema/tenant-pool.entity';
import { TenantDto } from './dto/tenant.dto';
import { Tenant } from '../schema/tenant.entity';
import { findTenantOrFail } from './tenant-rows';

/**
 * Destroys a deleted tenant's data once its retention period is over: its database and role
 * (dedicated) or its rows in the pooled database. The tenant row stays, `purged`, for the audit trail.
 */
@Injectable()
export class TenantPurge {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly databases: TenantDatabaseFactory,
    private readonly memberships: MembershipsService,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  async purge(id: string): Promise<TenantDto> {
    const tenant = await findTenantOrFail(this.dataSource.manager, id);
    if (tenant.status !== 'deleted') throw new ConflictException(`Tenant is ${tenant.status}; only a deleted tenant can be purged`);
    if (tenant.purgeAfter && tenant.purgeAfter.getTime() > Date.now()) {
      throw new ConflictException(
        `Tenant data is kept until ${tenant.purgeAfter.toISOString()} (TENANT_RETENTION_DAYS); it can be purged after that`,
      );
    }
    const destroyed = await this.destroyData(tenant);
    const purged = await this.dataSource.transaction(async (manager) => {
      const locked = await findTenantOrFail(manager, id, true);
      if (locked.status !== 'deleted') throw new ConflictException(`Tenant is ${locked.status}; only a deleted tenant can be purged`);
      await manager.update(Tenant, { id }, { status: 'purged', databaseName: null, databaseRole: null, databasePasswordEncrypted: null });
      await this.memberships.removeAllWithin(manager, id);
      await this.audit.record(manager, {
        action: 'tenant.purge',
        targetType: 'tenant',
        targetId: id,
        tenantId: id,
        changes: { status: { from: 'deleted', to: 'purged' }, ...destroyed },
      });
      return TenantDto.from({ ...locked, status: 'purged' });
    });
    this.changes.tenantChanged(id);
    return purged;
  }

  private async destroyData(tenant: Tenant): Promise<Record<string, unknown>> {
    if (tenant.placement === 'dedicated' && tenant.databaseServerId && tenant.databaseName) {
      await this.databases.drop(tenant.databaseServerId, tenant.databaseName, tenant.databaseRole!, { kind: 'tenant', ownerId: tenant.id });
      return { droppedDatabase: tenant.databaseName, droppedRole: tenant.databaseRole };
    }
    if (tenant.placement === 'byod') {
      // The customer keeps its data; what Tenantry holds is the credentials to reach it.
      const removed = await this.dataSource.getRepository(TenantDataSource).delete({ tenantId: tenant.id });
      return { removedDataSource: (removed.affected ?? 0) > 0 };
    }
    if (tenant.placement === 'pooled' && tenant.tenantPoolId) {
      const pool = await this.dataSource.getRepository(TenantPool).findOneByOrFail({ id: tenant.tenantPoolId });
      const owner = { kind: 'pool' as const, ownerId: pool.id };
      return {
        pool: pool.name,
        deletedRows: await this.databases.deletePooledTenantRows(pool.databaseServerId, pool.databaseName, owner, tenant.id),
      };
    }
    return {};
  }
}
