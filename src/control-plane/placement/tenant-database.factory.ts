import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { migrateTenantDatabase } from '../../../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS, TENANT_SCHEMA_VERSION } from '../../../migrations/tenant';
import { DatabaseServersService } from '../database-servers/database-servers.service';

export interface CreatedTenantDatabase {
  databaseName: string;
  appRole: string;
  appPassword: string;
  schemaVersion: string;
}

/**
 * Creates a database at the latest tenant schema on a registered server, with an application
 * role of its own that can read and write rows but owns nothing and cannot bypass RLS.
 * Either everything is created or nothing is left behind.
 */
@Injectable()
export class TenantDatabaseFactory {
  private readonly logger = new Logger(TenantDatabaseFactory.name);

  constructor(private readonly servers: DatabaseServersService) {}

  async create(databaseServerId: string, databaseName: string, appRole: string): Promise<CreatedTenantDatabase> {
    const connection = await this.servers.adminConnection(databaseServerId);
    const admin = new PostgresAdmin(connection);
    const appPassword = randomBytes(24).toString('base64url');
    const started = Date.now();
    try {
      await admin.createAppRole(appRole, appPassword);
      await admin.createDatabase(databaseName);
      await admin.restrictDatabaseTo(databaseName, appRole);
      await migrateTenantDatabase({ ...connection, database: databaseName, appRole }, TENANT_MIGRATIONS);
    } catch (error) {
      this.logger.error(`Creating tenant database ${databaseName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.drop(databaseServerId, databaseName, appRole).catch(() => undefined);
      throw new ServiceUnavailableException('The tenant database could not be created; nothing was kept. Try again or choose another server.');
    }
    this.logger.log(`Created tenant database ${databaseName} in ${Date.now() - started} ms`);
    return { databaseName, appRole, appPassword, schemaVersion: TENANT_SCHEMA_VERSION };
  }

  async drop(databaseServerId: string, databaseName: string, appRole: string): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    await admin.dropDatabase(databaseName);
    await admin.dropRole(appRole);
  }
}
