import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { AuditService } from '../audit/audit.service';
import { Tenant } from '../schema/tenant.entity';
import { CreateDatabaseServerDto } from './dto/create-database-server.dto';
import { DatabaseServerDto, DatabaseServerFill } from './dto/database-server.dto';
import { UpdateDatabaseServerDto } from './dto/update-database-server.dto';
import { DatabaseServer } from '../schema/database-server.entity';
import { checkConnectionBudget, checkServerConnection, readMaxConnections } from './server-connection-check';

@Injectable()
export class DatabaseServersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateDatabaseServerDto): Promise<DatabaseServerDto> {
    await checkServerConnection(dto);
    if (dto.connectionBudget) {
      checkConnectionBudget(
        dto.connectionBudget,
        await readMaxConnections({ host: dto.host, port: dto.port, user: dto.adminUser, password: dto.adminPassword }),
      );
    }
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(DatabaseServer, { where: { name: dto.name } })) {
        throw new ConflictException({
          message: `A database server named "${dto.name}" exists`,
          details: [{ field: 'name', problems: ['already in use'] }],
        });
      }
      const server = manager.create(DatabaseServer, { ...dto, adminPasswordEncrypted: '' });
      const { id } = await manager.save(server);
      await manager.update(
        DatabaseServer,
        { id },
        { adminPasswordEncrypted: this.cipher.encrypt(dto.adminPassword, databaseServerSecretScope(id)) },
      );
      await this.audit.record(manager, {
        action: 'database_server.create',
        targetType: 'database_server',
        targetId: id,
        changes: { ...dto },
      });
      return DatabaseServerDto.from(server, { tenantDatabases: 0, tenantPools: 0 });
    });
  }

  async list(): Promise<DatabaseServerDto[]> {
    const servers = await this.dataSource.getRepository(DatabaseServer).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const fill = await this.fillOf(
      this.dataSource.manager,
      servers.map((server) => server.id),
    );
    return servers.map((server) => DatabaseServerDto.from(server, fill.get(server.id)!));
  }

  async get(id: string): Promise<DatabaseServerDto> {
    return this.shown(this.dataSource.manager, await this.findOrFail(this.dataSource.manager, id));
  }

  private async shown(manager: EntityManager, server: DatabaseServer): Promise<DatabaseServerDto> {
    const fill = await this.fillOf(manager, [server.id]);
    return DatabaseServerDto.from(server, fill.get(server.id)!);
  }

  /** The tenant databases on each server, counted as `choose` counts them (purged tenants hold none). */
  private async fillOf(manager: EntityManager, ids: string[]): Promise<Map<string, DatabaseServerFill>> {
    const rows: Array<{ id: string; tenantDatabases: number; tenantPools: number }> = await manager.query(
      `SELECT s.id,
              (SELECT count(*)::int FROM tenants t WHERE t.database_server_id = s.id AND t.status <> 'purged') AS "tenantDatabases",
              (SELECT count(*)::int FROM tenant_pools p WHERE p.database_server_id = s.id) AS "tenantPools"
         FROM unnest($1::uuid[]) AS s(id)`,
      [ids],
    );
    return new Map(rows.map(({ id, tenantDatabases, tenantPools }) => [id, { tenantDatabases, tenantPools }]));
  }

  async update(id: string, dto: UpdateDatabaseServerDto): Promise<DatabaseServerDto> {
    const current = await this.findOrFail(this.dataSource.manager, id);
    if (dto.adminPassword !== undefined) await checkServerConnection({ ...current, adminPassword: dto.adminPassword });
    if (dto.connectionBudget) {
      const connection = await this.adminConnection(id);
      if (dto.adminPassword !== undefined) connection.password = dto.adminPassword;
      checkConnectionBudget(dto.connectionBudget, await readMaxConnections(connection));
    }
    return this.dataSource.transaction(async (manager) => {
      const server = await this.findOrFail(manager, id, true);
      const changes: Record<string, unknown> = {};
      if (dto.status !== undefined && dto.status !== server.status)
        changes.status = { from: server.status, to: (server.status = dto.status) };
      if (dto.maxDatabases !== undefined && dto.maxDatabases !== server.maxDatabases) {
        changes.maxDatabases = { from: server.maxDatabases, to: (server.maxDatabases = dto.maxDatabases) };
      }
      if (dto.connectionBudget !== undefined && dto.connectionBudget !== server.connectionBudget) {
        changes.connectionBudget = { from: server.connectionBudget, to: (server.connectionBudget = dto.connectionBudget) };
      }
      const pooler = await this.poolerChanges(manager, server, dto);
      Object.assign(changes, pooler);
      if (dto.adminPassword !== undefined) {
        server.adminPasswordEncrypted = this.cipher.encrypt(dto.adminPassword, databaseServerSecretScope(id));
        changes.adminPassword = 'changed';
      }
      if (Object.keys(changes).length === 0) return this.shown(manager, server);
      await manager.save(server);
      await this.audit.record(manager, { action: 'database_server.update', targetType: 'database_server', targetId: id, changes });
      return this.shown(manager, server);
    });
  }

  /**
   * Applies the pooler settings of `dto` to `server` and returns what changed. They decide how tenant
   * DataSources connect and behave, and a live DataSource keeps the settings it was opened with
   * (every process holds its own), so they change only while no tenant database lives on the server.
   */
  private async poolerChanges(
    manager: EntityManager,
    server: DatabaseServer,
    dto: UpdateDatabaseServerDto,
  ): Promise<Record<string, unknown>> {
    const changes: Record<string, unknown> = {};
    for (const field of ['behindTransactionPooler', 'poolerHost', 'poolerPort'] as const) {
      if (dto[field] === undefined || dto[field] === server[field]) continue;
      changes[field] = { from: server[field], to: dto[field] };
    }
    if (Object.keys(changes).length === 0) return changes;
    const poolerHost = dto.poolerHost === undefined ? server.poolerHost : dto.poolerHost;
    const poolerPort = dto.poolerPort === undefined ? server.poolerPort : dto.poolerPort;
    if (poolerHost !== null && poolerPort === null) {
      throw new BadRequestException({
        message: 'A pooler host needs a pooler port',
        details: [{ field: 'poolerPort', problems: ['required with poolerHost'] }],
      });
    }
    const databases = await this.tenantDatabasesOn(manager, server.id);
    if (databases > 0) {
      throw new ConflictException(
        `Database server ${server.name} holds ${databases} tenant database(s): how tenants connect to it can change only while it holds none`,
      );
    }
    Object.assign(server, {
      behindTransactionPooler: dto.behindTransactionPooler ?? server.behindTransactionPooler,
      poolerHost,
      poolerPort,
    });
    return changes;
  }

  /** Dedicated tenant databases and tenant pools on the server. */
  private async tenantDatabasesOn(manager: EntityManager, id: string): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT (SELECT count(*) FROM tenants WHERE database_server_id = $1 AND status <> 'purged')
            + (SELECT count(*) FROM tenant_pools WHERE database_server_id = $1) AS count`,
      [id],
    );
    return Number(row.count);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const server = await this.findOrFail(manager, id, true);
      const tenants = await manager.count(Tenant, { where: { databaseServerId: id } });
      if (tenants > 0)
        throw new ConflictException(`Database server ${server.name} still holds ${tenants} tenant database(s); move them first`);
      const [{ copies }] = await manager.query<Array<{ copies: number }>>(
        `SELECT count(*)::int AS copies FROM tenant_moves
          WHERE (status = 'completed' AND source_removed_at IS NULL AND source->>'databaseServerId' = $1)
             OR (status IN ('running', 'failed', 'abandoning') AND (source->>'databaseServerId' = $1 OR target->>'databaseServerId' = $1))`,
        [id],
      );
      if (copies > 0) {
        throw new ConflictException(
          `Database server ${server.name} is the source or target of ${copies} tenant move(s) still running or keeping an old copy; wait for them`,
        );
      }
      await manager.delete(DatabaseServer, { id });
      await this.audit.record(manager, {
        action: 'database_server.delete',
        targetType: 'database_server',
        targetId: id,
        changes: { name: server.name },
      });
    });
  }

  /** The active server with the most room for another dedicated tenant database. */
  async choose(requestedId?: string): Promise<string> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT s.id FROM database_servers s
        WHERE s.status = 'active' AND ($1::uuid IS NULL OR s.id = $1::uuid)
          AND (SELECT count(*) FROM tenants t WHERE t.database_server_id = s.id AND t.status <> 'purged') < s.max_databases
        ORDER BY (SELECT count(*) FROM tenants t WHERE t.database_server_id = s.id)::float / s.max_databases, s.created_at
        LIMIT 1`,
      [requestedId ?? null],
    );
    if (rows.length === 0) {
      throw new ConflictException(
        requestedId
          ? `Database server ${requestedId} does not exist, is not active or is full`
          : 'No database server has room for a dedicated tenant: register one with POST /control/database-servers',
      );
    }
    return rows[0].id;
  }

  /** Admin connection settings with the decrypted password, for creating tenant databases only. */
  async adminConnection(id: string): Promise<{ host: string; port: number; user: string; password: string; database: string }> {
    const server = await this.findOrFail(this.dataSource.manager, id);
    return {
      host: server.host.replace(/^\[|\]$/g, ''),
      port: server.port,
      user: server.adminUser,
      password: await this.adminPassword(id),
      database: 'postgres',
    };
  }

  private async adminPassword(id: string): Promise<string> {
    const server = await this.dataSource
      .getRepository(DatabaseServer)
      .createQueryBuilder('server')
      .addSelect('server.adminPasswordEncrypted')
      .where('server.id = :id', { id })
      .getOne();
    if (!server) throw new NotFoundException(`Database server ${id} not found`);
    return this.cipher.decrypt(server.adminPasswordEncrypted, databaseServerSecretScope(id));
  }

  private async findOrFail(manager: EntityManager, id: string, forUpdate = false): Promise<DatabaseServer> {
    const server = await manager.findOne(DatabaseServer, { where: { id }, lock: forUpdate ? { mode: 'pessimistic_write' } : undefined });
    if (!server) throw new NotFoundException(`Database server ${id} not found`);
    return server;
  }
}

/** Binds each encrypted password to its server row, so ciphertexts cannot be swapped between rows. */
export function databaseServerSecretScope(serverId: string): string {
  return `database_server:${serverId}`;
}
