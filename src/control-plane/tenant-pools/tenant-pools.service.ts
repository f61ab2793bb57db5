import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { AuditService } from '../audit/audit.service';
import { DatabaseServer } from '../schema/database-server.entity';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { CreateTenantPoolDto, TenantPoolDto } from './dto/tenant-pool.dto';
import { TenantPool } from '../schema/tenant-pool.entity';

@Injectable()
export class TenantPoolsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly databases: TenantDatabaseFactory,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateTenantPoolDto): Promise<TenantPoolDto> {
    if (!(await this.dataSource.getRepository(DatabaseServer).exists({ where: { id: dto.databaseServerId } }))) {
      throw new NotFoundException({
        message: `Database server ${dto.databaseServerId} not found`,
        details: [{ field: 'databaseServerId', problems: ['unknown server'] }],
      });
    }
    if (await this.dataSource.getRepository(TenantPool).exists({ where: { name: dto.name } })) {
      throw new ConflictException({
        message: `A tenant pool named "${dto.name}" exists`,
        details: [{ field: 'name', problems: ['already in use'] }],
      });
    }
    const databaseName = `tenantry_pool_${dto.name}`;
    // The pool's id is chosen first so the database and role are marked as this pool's when created.
    const owner = { kind: 'pool' as const, ownerId: randomUUID() };
    const created = await this.databases.create(dto.databaseServerId, databaseName, `${databaseName}_app`, owner);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const pool = await manager.save(
          manager.create(TenantPool, {
            id: owner.ownerId,
            name: dto.name,
            databaseServerId: dto.databaseServerId,
            databaseName,
            appRole: created.appRole,
            appPasswordEncrypted: '',
            maxTenants: dto.maxTenants,
            schemaVersion: created.schemaVersion,
          }),
        );
        await manager.update(
          TenantPool,
          { id: pool.id },
          { appPasswordEncrypted: this.cipher.encrypt(created.appPassword, poolSecretScope(pool.id)) },
        );
        await this.audit.record(manager, {
          action: 'tenant_pool.create',
          targetType: 'tenant_pool',
          targetId: pool.id,
          changes: { ...dto, databaseName },
        });
        return TenantPoolDto.from(pool, 0);
      });
    } catch (error) {
      await this.databases.drop(dto.databaseServerId, databaseName, created.appRole, owner).catch(() => undefined);
      throw error;
    }
  }

  async list(): Promise<TenantPoolDto[]> {
    const pools = await this.dataSource.getRepository(TenantPool).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    // Counted as `choose` counts them: a purged tenant no longer takes a place in its pool.
    const counts: Array<{ id: string; tenants: number }> = await this.dataSource.query(
      `SELECT tenant_pool_id AS id, count(*)::int AS tenants FROM tenants
        WHERE tenant_pool_id = ANY($1::uuid[]) AND status <> 'purged' GROUP BY tenant_pool_id`,
      [pools.map((pool) => pool.id)],
    );
    const tenantsIn = new Map(counts.map(({ id, tenants }) => [id, tenants]));
    return pools.map((pool) => TenantPoolDto.from(pool, tenantsIn.get(pool.id) ?? 0));
  }

  /** The active pool with the most room, locked until the caller's transaction ends. */
  async choose(manager: EntityManager, requestedPoolId?: string): Promise<TenantPool> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT p.id FROM tenant_pools p
        WHERE p.status = 'active' AND ($1::uuid IS NULL OR p.id = $1::uuid)
          AND (SELECT count(*) FROM tenants t WHERE t.tenant_pool_id = p.id AND t.status <> 'purged') < p.max_tenants
        ORDER BY (SELECT count(*) FROM tenants t WHERE t.tenant_pool_id = p.id) ASC, p.created_at
        LIMIT 1 FOR UPDATE OF p`,
      [requestedPoolId ?? null],
    );
    if (rows.length === 0) {
      throw new ConflictException(
        requestedPoolId
          ? `Tenant pool ${requestedPoolId} does not exist, is draining or is full`
          : 'No pooled database has room: register one with POST /control/tenant-pools',
      );
    }
    return manager.findOneByOrFail(TenantPool, { id: rows[0].id });
  }
}

/** Binds each pool's encrypted password to its row. */
export function poolSecretScope(poolId: string): string {
  return `tenant_pool:${poolId}`;
}
