import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { DatabaseServer } from '../database-servers/entities/database-server.entity';
import { TenantPoolsService } from '../tenant-pools/tenant-pools.service';

/**
 * With the embedded PostgreSQL, nobody else will register a database server: the embedded
 * server itself becomes the place for dedicated tenant databases and for one pooled database,
 * so `POST /control/tenants` works on a fresh machine straight away.
 */
@Injectable()
export class EmbeddedPlacementBootstrap {
  private readonly logger = new Logger(EmbeddedPlacementBootstrap.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly pools: TenantPoolsService,
  ) {}

  async ensure(embeddedUrl: string): Promise<void> {
    if (await this.dataSource.getRepository(DatabaseServer).exists()) return;
    const url = new URL(embeddedUrl);
    const server = await this.servers.create({
      name: 'embedded',
      host: url.hostname,
      port: Number(url.port),
      adminUser: decodeURIComponent(url.username),
      adminPassword: decodeURIComponent(url.password),
      maxDatabases: 1000,
    });
    await this.pools.create({ name: 'default', databaseServerId: server.id, maxTenants: 10_000 });
    this.logger.log('Registered the embedded PostgreSQL for tenant databases, with pooled database "default"');
  }
}
