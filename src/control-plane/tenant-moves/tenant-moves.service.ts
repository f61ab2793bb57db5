import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { SecretCipher } from '../../../libs/secrets';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { DatabaseServer } from '../schema/database-server.entity';
import { MoveEnd, TenantMove } from '../schema/tenant-move.entity';
import { Tenant } from '../schema/tenant.entity';
import { TenantPool } from '../schema/tenant-pool.entity';
import { DrainRefusalDto, ServerDrainDto, StartTenantMoveDto, TenantMoveDto } from './dto/tenant-move.dto';
import { sameEnd } from './move-ends';
import { TenantMoveQueue } from './tenant-move-queue';
import { TENANT_MOVE_FENCE, tenantMoveSecretScope } from './tenant-mover';
import { liftTenantWriteFreeze } from '../tenant-binding/tenant-write-freeze';

const UNIQUE_VIOLATION = '23505';

/** Starting, watching, retrying and abandoning tenant moves, and draining a server by moving every tenant off it. */
@Injectable()
export class TenantMovesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: TenantMoveQueue,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  /** Records the move with its source and chosen target and enqueues its job, in one transaction. */
  async start(tenantId: string, dto: StartTenantMoveDto): Promise<TenantMoveDto> {
    if (dto.poolId && dto.placement !== 'pooled') {
      throw new BadRequestException({
        message: 'poolId applies to pooled moves only',
        details: [{ field: 'poolId', problems: ['only with placement pooled'] }],
      });
    }
    const move = await this.inTransaction((manager) => this.startWithin(manager, tenantId, dto));
    this.queue.wake();
    return TenantMoveDto.from(move);
  }

  /**
   * Starts a move to `placement` in the caller's control-plane transaction, so what asked for it (a
   * plan change) commits with the move or not at all. Call `wake` after the commit.
   */
  async startIn(manager: EntityManager, tenantId: string, placement: StartTenantMoveDto['placement']): Promise<TenantMoveDto> {
    return TenantMoveDto.from(await this.startWithin(manager, tenantId, { placement }));
  }

  /** This process's move workers look for the job at once, not at their next poll. */
  wake(): void {
    this.queue.wake();
  }

  async list(tenantId: string): Promise<TenantMoveDto[]> {
    await this.tenantOrFail(this.dataSource.manager, tenantId);
    const moves = await this.dataSource.getRepository(TenantMove).find({ where: { tenantId }, order: { createdAt: 'DESC' }, take: 100 });
    return moves.map(TenantMoveDto.from);
  }

  async get(tenantId: string, moveId: string): Promise<TenantMoveDto> {
    return TenantMoveDto.from(await this.moveOrFail(this.dataSource.manager, tenantId, moveId));
  }

  /** A failed move runs again from its first step; preparing clears what the failed run left on the target. */
  async retry(tenantId: string, moveId: string): Promise<TenantMoveDto> {
    const move = await this.inTransaction(async (manager) => {
      const move = await this.moveOrFail(manager, tenantId, moveId, true);
      if (move.status !== 'failed') throw new ConflictException(`Move ${moveId} is ${move.status}; only a failed move can be retried`);
      await manager.update(TenantMove, { id: moveId }, { status: 'running', failureReason: null, runStartedAfterAttempt: move.attempt });
      await this.queue.enqueue(manager, { moveId, kind: 'run' });
      await this.audit.record(manager, {
        action: 'tenant.move.retry',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: { moveId },
      });
      return manager.findOneByOrFail(TenantMove, { id: moveId });
    });
    this.queue.wake();
    return TenantMoveDto.from(move);
  }

  /**
   * Stops a running or failed move for good: any attempt still running is superseded (it commits
   * nothing more), the freeze is lifted, and a job removes what the move built on the target.
   */
  async abandon(tenantId: string, moveId: string): Promise<TenantMoveDto> {
    const move = await this.inTransaction(async (manager) => {
      const move = await this.moveOrFail(manager, tenantId, moveId, true);
      if (move.status !== 'running' && move.status !== 'failed') {
        throw new ConflictException(`Move ${moveId} is ${move.status}; only a running or failed move can be abandoned`);
      }
      if (!(await FencedAttempt.end(manager, TENANT_MOVE_FENCE, moveId, { status: 'abandoning' }))) {
        await manager.update(TenantMove, { id: moveId }, { status: 'abandoning' });
      }
      await liftTenantWriteFreeze(manager, tenantId);
      await this.queue.enqueue(manager, { moveId, kind: 'abandon' });
      await this.audit.record(manager, {
        action: 'tenant.move.abandon',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: { moveId },
      });
      return manager.findOneByOrFail(TenantMove, { id: moveId });
    });
    this.changes.tenantChanged(tenantId);
    this.queue.wake();
    return TenantMoveDto.from(move);
  }

  /**
   * Marks the server draining (no new tenant, pool or move goes there) and starts a move for every
   * active tenant on it: dedicated ones to a database on another server, pooled ones to a pool on
   * another server. A tenant already being moved keeps its move; one that cannot be moved is listed.
   */
  async drain(serverId: string): Promise<ServerDrainDto> {
    const tenants = await this.inTransaction(async (manager) => {
      const server = await manager.findOne(DatabaseServer, { where: { id: serverId }, lock: { mode: 'pessimistic_write' } });
      if (!server) throw new NotFoundException(`Database server ${serverId} not found`);
      if (server.status !== 'draining') {
        await manager.update(DatabaseServer, { id: serverId }, { status: 'draining' });
        await this.audit.record(manager, {
          action: 'database_server.drain',
          targetType: 'database_server',
          targetId: serverId,
          changes: { status: { from: server.status, to: 'draining' } },
        });
      }
      return manager.query<Array<{ id: string; placement: 'pooled' | 'dedicated' }>>(
        `SELECT t.id, t.placement FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id
          WHERE t.status = 'active' AND t.placement IN ('pooled', 'dedicated')
            AND (t.database_server_id = $1 OR (t.placement = 'pooled' AND p.database_server_id = $1))
          ORDER BY t.created_at`,
        [serverId],
      );
    });
    const moves: TenantMoveDto[] = [];
    const refused: DrainRefusalDto[] = [];
    for (const tenant of tenants) {
      try {
        moves.push(await this.start(tenant.id, { placement: tenant.placement }));
      } catch (error) {
        const running = await this.dataSource.getRepository(TenantMove).findOne({ where: { tenantId: tenant.id, status: 'running' } });
        if (running) moves.push(TenantMoveDto.from(running));
        else refused.push({ tenantId: tenant.id, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return { databaseServerId: serverId, status: 'draining', moves, refused };
  }

  private async startWithin(manager: EntityManager, tenantId: string, dto: StartTenantMoveDto): Promise<TenantMove> {
    const tenant = await this.tenantOrFail(manager, tenantId, true);
    if (tenant.status !== 'active')
      throw new ConflictException(`Tenant "${tenant.slug}" is ${tenant.status}; only an active tenant can be moved`);
    if (tenant.placement === 'byod') {
      throw new ConflictException(`Tenant "${tenant.slug}" keeps its data in its own system (byod); there is nothing of ours to move`);
    }
    const unfinished = await manager.findOne(TenantMove, {
      where: [
        { tenantId, status: 'running' },
        { tenantId, status: 'failed' },
        { tenantId, status: 'abandoning' },
      ],
    });
    if (unfinished)
      throw new ConflictException(
        `Tenant "${tenant.slug}" has an unfinished move ${unfinished.id} (${unfinished.status}); retry or abandon it first`,
      );
    const [restoring] = await manager.query<unknown[]>(
      `SELECT 1 FROM tenant_restores WHERE target_tenant_id = $1 AND status = 'pending' LIMIT 1`,
      [tenantId],
    );
    if (restoring) throw new ConflictException(`Tenant "${tenant.slug}" is being restored from an archive; move it once that is finished`);
    const source = await this.sourceOf(manager, tenant);
    const id = randomUUID();
    const password = randomBytes(24).toString('base64url');
    const target =
      dto.placement === 'pooled'
        ? await this.poolTarget(manager, source, dto)
        : await this.dedicatedTarget(manager, tenant, source, id, dto);
    if (sameEnd(source, target)) throw new ConflictException(`Tenant "${tenant.slug}" already lives in ${source.databaseName}`);
    const move = manager.create(TenantMove, {
      id,
      tenantId,
      status: 'running',
      source,
      target,
      targetPasswordEncrypted: target.placement === 'dedicated' ? this.cipher.encrypt(password, tenantMoveSecretScope(id)) : null,
      steps: [],
    });
    await manager.save(move);
    await this.queue.enqueue(manager, { moveId: id, kind: 'run' });
    await this.audit.record(manager, {
      action: 'tenant.move.start',
      targetType: 'tenant',
      targetId: tenantId,
      tenantId,
      changes: { moveId: id, from: describe(source), to: describe(target) },
    });
    return manager.findOneByOrFail(TenantMove, { id });
  }

  private async sourceOf(manager: EntityManager, tenant: Tenant): Promise<MoveEnd> {
    if (tenant.placement === 'dedicated') {
      if (!tenant.databaseServerId || !tenant.databaseName) throw new ConflictException(`Tenant "${tenant.slug}" has no database yet`);
      return {
        placement: 'dedicated',
        databaseServerId: tenant.databaseServerId,
        databaseName: tenant.databaseName,
        databaseRole: tenant.databaseRole,
        tenantPoolId: null,
      };
    }
    const pool = tenant.tenantPoolId ? await manager.findOneBy(TenantPool, { id: tenant.tenantPoolId }) : null;
    if (!pool) throw new ConflictException(`Tenant "${tenant.slug}" is in no pool yet`);
    return {
      placement: 'pooled',
      databaseServerId: pool.databaseServerId,
      databaseName: pool.databaseName,
      tenantPoolId: pool.id,
      databaseRole: null,
    };
  }

  /** The active pool on an active server with most room, other than the tenant's own, locked until the move is recorded. */
  private async poolTarget(manager: EntityManager, source: MoveEnd, dto: StartTenantMoveDto): Promise<MoveEnd> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT p.id FROM tenant_pools p JOIN database_servers s ON s.id = p.database_server_id
        WHERE p.status = 'active' AND s.status = 'active' AND p.id IS DISTINCT FROM $1::uuid
          AND ($2::uuid IS NULL OR p.id = $2::uuid) AND ($3::uuid IS NULL OR p.database_server_id = $3::uuid)
          AND (SELECT count(*) FROM tenants t WHERE t.tenant_pool_id = p.id AND t.status <> 'purged') < p.max_tenants
        ORDER BY (SELECT count(*) FROM tenants t WHERE t.tenant_pool_id = p.id), p.created_at
        LIMIT 1 FOR UPDATE OF p`,
      [source.tenantPoolId, dto.poolId ?? null, dto.databaseServerId ?? null],
    );
    if (rows.length === 0) {
      throw new ConflictException(
        dto.poolId || dto.databaseServerId
          ? 'That pool (or a pool on that server) is not active, is full, or is where the tenant already lives'
          : 'No other active tenant pool has room',
      );
    }
    const pool = await manager.findOneByOrFail(TenantPool, { id: rows[0].id });
    return {
      placement: 'pooled',
      databaseServerId: pool.databaseServerId,
      databaseName: pool.databaseName,
      tenantPoolId: pool.id,
      databaseRole: null,
    };
  }

  /**
   * An active server with room (the requested one, or the emptiest other than the source's) and a
   * database name of the move's own, so an old copy kept for retention never stands in its way.
   */
  private async dedicatedTarget(
    manager: EntityManager,
    tenant: Tenant,
    source: MoveEnd,
    moveId: string,
    dto: StartTenantMoveDto,
  ): Promise<MoveEnd> {
    const avoid = source.placement === 'dedicated' && !dto.databaseServerId ? source.databaseServerId : null;
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT s.id FROM database_servers s
        WHERE s.status = 'active' AND ($1::uuid IS NULL OR s.id = $1::uuid) AND s.id IS DISTINCT FROM $2::uuid
          AND (SELECT count(*) FROM tenants t WHERE t.database_server_id = s.id AND t.status <> 'purged') < s.max_databases
        ORDER BY (SELECT count(*) FROM tenants t WHERE t.database_server_id = s.id)::float / s.max_databases, s.created_at
        LIMIT 1`,
      [dto.databaseServerId ?? null, avoid],
    );
    if (rows.length === 0) {
      throw new ConflictException(
        dto.databaseServerId
          ? `Database server ${dto.databaseServerId} does not exist, is not active or is full`
          : 'No other active database server has room for a dedicated tenant',
      );
    }
    const databaseName = `tenant_${tenant.id.replaceAll('-', '')}_${moveId.slice(0, 8)}`;
    return { placement: 'dedicated', databaseServerId: rows[0].id, databaseName, databaseRole: `${databaseName}_app`, tenantPoolId: null };
  }

  private async tenantOrFail(manager: EntityManager, tenantId: string, lock = false): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: lock ? { mode: 'pessimistic_write' } : undefined });
    if (!tenant || tenant.status === 'purged') throw new NotFoundException(`Tenant ${tenantId} not found`);
    return tenant;
  }

  private async moveOrFail(manager: EntityManager, tenantId: string, moveId: string, lock = false): Promise<TenantMove> {
    const move = await manager.findOne(TenantMove, {
      where: { id: moveId, tenantId },
      lock: lock ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!move) throw new NotFoundException(`Move ${moveId} of tenant ${tenantId} not found`);
    return move;
  }

  /** Two moves of one tenant started at once: the unique index lets one in; the other is told so. */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictException('The tenant has an unfinished move');
      throw error;
    }
  }
}

function describe(end: MoveEnd): string {
  return `${end.placement}:${end.databaseName}@${end.databaseServerId}`;
}
