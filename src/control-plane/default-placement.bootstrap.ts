import { ConflictException, HttpException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseServersService } from './database-servers/database-servers.service';
import { DatabaseServer } from './schema/database-server.entity';
import { TenantPool } from './schema/tenant-pool.entity';
import { TenantPoolsService } from './tenant-pools/tenant-pools.service';
import { ControlPlaneIdentity } from './placement/control-plane-identity';

/** Arbitrary but fixed: serialises the first-start registration of every process sharing the control plane. */
const BOOTSTRAP_LOCK_KEY = 7_261_002;

/** The server the control plane itself runs on, as the first start registers it. */
export interface DefaultServer {
  /** `embedded` for the embedded PostgreSQL, `control-plane` for DATABASE_URL's server. */
  name: 'embedded' | 'control-plane';
  /** A URL with credentials that may create databases and roles (the control plane's own). */
  url: string;
}

export const DEFAULT_POOL_NAME = 'default';
const DEFAULT_POOL_MAX_TENANTS = 10_000;
const DEFAULT_SERVER_MAX_DATABASES = 1_000;

/**
 * On a control plane with no database server yet, nobody has said where tenant data goes: the
 * server the control plane runs on becomes the place for dedicated tenant databases and for one
 * pooled database, so `POST /control/tenants` works on a fresh deployment straight away (the
 * embedded start and a DATABASE_URL start alike).
 *
 * Several processes may start at once on a fresh control plane, so the check and the creation run
 * under an advisory lock; the others wait and then find the server registered. A control plane an
 * operator already gave servers is left as it is; one whose earlier first start died between
 * registering the server and creating its pool gets the pool.
 *
 * The pooled database is created and marked by this control plane (TenantPoolsService): a
 * `tenantry_pool_default` that another control plane sharing the server created is not adopted,
 * the pool is then named after this control plane instead. A server that cannot hold tenant data
 * (its role may not create databases and roles) is named in a warning and the start goes on.
 */
@Injectable()
export class DefaultPlacementBootstrap {
  private readonly logger = new Logger(DefaultPlacementBootstrap.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly pools: TenantPoolsService,
    private readonly identity: ControlPlaneIdentity,
  ) {}

  async ensure(server: DefaultServer): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Another process may hold the lock while it builds the pool's database (migrations): longer than the pool's timeouts.
      await runner.query('SET statement_timeout = 0; SET lock_timeout = 0');
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      await this.registerIfNone(server);
    } catch (error) {
      // The server cannot hold tenant data (say, DATABASE_URL's role may not create databases): the API still serves.
      if (!(error instanceof HttpException)) throw error;
      this.logger.warn(
        `Not registering the ${server.name} PostgreSQL server for tenant data: ${error.message}. ` +
          'Register one with POST /control/database-servers and POST /control/tenant-pools, or set AUTO_REGISTER_DATABASE_SERVER=false',
      );
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_KEY]).catch(() => undefined);
      await runner.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
      await runner.release();
    }
  }

  private async registerIfNone(server: DefaultServer): Promise<void> {
    const registered = await this.dataSource.getRepository(DatabaseServer).find({ select: { id: true, name: true } });
    let serverId: string;
    if (registered.length === 0) {
      const url = new URL(server.url);
      serverId = (
        await this.servers.create({
          name: server.name,
          host: url.hostname,
          port: Number(url.port || 5432),
          adminUser: decodeURIComponent(url.username),
          adminPassword: decodeURIComponent(url.password),
          maxDatabases: DEFAULT_SERVER_MAX_DATABASES,
        })
      ).id;
    } else {
      const own = registered.find((candidate) => candidate.name === server.name);
      if (!own || (await this.dataSource.getRepository(TenantPool).exists())) return;
      serverId = own.id;
    }
    const pool = await this.createPool(serverId);
    this.logger.log(`Registered the ${server.name} PostgreSQL server for tenant databases, with pooled database "${pool.databaseName}"`);
  }

  private async createPool(databaseServerId: string) {
    try {
      return await this.pools.create({ name: DEFAULT_POOL_NAME, databaseServerId, maxTenants: DEFAULT_POOL_MAX_TENANTS });
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      // The name is taken on the server by something this control plane did not create: left alone.
      const name = `${DEFAULT_POOL_NAME}_${(await this.identity.controlPlaneId()).slice(0, 8)}`;
      this.logger.warn(`${(error as Error).message}; creating pooled database "tenantry_pool_${name}" instead`);
      return this.pools.create({ name, databaseServerId, maxTenants: DEFAULT_POOL_MAX_TENANTS });
    }
  }
}
