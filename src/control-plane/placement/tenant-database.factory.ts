import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { migrateTenantDatabase } from '../../../libs/tenancy/tenant-schema-migrator';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';
import { DatabaseServersService } from '../database-servers/database-servers.service';

export interface CreatedTenantDatabase {
  databaseName: string;
  appRole: string;
  appPassword: string;
  schemaVersion: string;
}

export interface EnsuredTenantDatabase {
  schemaVersion: string;
  /** How the database came to be: copied from the template, built by migrations, or already there. */
  origin: 'template' | 'migrations' | 'existing';
}

/** Every template and build database starts with this; the reconciler leaves them alone. */
export const TEMPLATE_PREFIX = 'tenantry_tpl_';

/** One template per tenant schema version: a new version gets a new template, never a half-migrated one. */
export function templateName(schemaVersion: string): string {
  return `${TEMPLATE_PREFIX}${schemaVersion.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Creates databases at the latest tenant schema on a registered server, each with an application
 * role of its own that can read and write rows but owns nothing and cannot bypass RLS.
 *
 * New databases are copied from a template database kept per server at the current schema
 * version (`CREATE DATABASE … TEMPLATE`), which is faster than migrating; if the copy fails
 * (e.g. someone is connected to the template) the tenant migrations run instead.
 */
@Injectable()
export class TenantDatabaseFactory {
  private readonly logger = new Logger(TenantDatabaseFactory.name);

  constructor(
    private readonly servers: DatabaseServersService,
    private readonly schema: TenantSchema,
  ) {}

  /** Creates database and role in one go; either both exist afterwards or neither does. */
  async create(databaseServerId: string, databaseName: string, appRole: string): Promise<CreatedTenantDatabase> {
    const appPassword = randomBytes(24).toString('base64url');
    try {
      const { schemaVersion } = await this.ensure(databaseServerId, databaseName, appRole, appPassword);
      return { databaseName, appRole, appPassword, schemaVersion };
    } catch (error) {
      this.logger.error(`Creating tenant database ${databaseName} failed: ${messageOf(error)}`);
      await this.drop(databaseServerId, databaseName, appRole).catch(() => undefined);
      throw new ServiceUnavailableException('The tenant database could not be created; nothing was kept. Try again or choose another server.');
    }
  }

  /**
   * Idempotent: makes sure the role exists with this password and the database exists at the
   * latest tenant schema with the role's grants, whatever an earlier, interrupted run left.
   */
  async ensure(databaseServerId: string, databaseName: string, appRole: string, appPassword: string): Promise<EnsuredTenantDatabase> {
    const connection = await this.servers.adminConnection(databaseServerId);
    const admin = new PostgresAdmin(connection);
    const started = Date.now();
    await admin.ensureAppRole(appRole, appPassword);
    let origin: EnsuredTenantDatabase['origin'] = 'existing';
    if (!(await admin.databaseExists(databaseName))) {
      origin = await this.createFromTemplate(admin, connection, databaseName);
    }
    await admin.restrictDatabaseTo(databaseName, appRole);
    await migrateTenantDatabase({ ...connection, database: databaseName, appRole }, this.schema.migrations);
    this.logger.log(`Tenant database ${databaseName} ready (${origin}) in ${Date.now() - started} ms`);
    return { schemaVersion: this.schema.version, origin };
  }

  /**
   * Makes sure the server has the template of the current schema version (built if missing), so
   * tenants created after a fleet upgrade start current. Returns what was built. Templates of
   * older versions are left for the orphan report: another control plane may still use them.
   * `scratchName`: build under this name (one the caller recorded, so a leftover can be proven ours).
   */
  async refreshTemplate(databaseServerId: string, scratchName?: string): Promise<string[]> {
    const connection = await this.servers.adminConnection(databaseServerId);
    const admin = new PostgresAdmin(connection);
    const name = templateName(this.schema.version);
    if (await admin.databaseExists(name)) return [];
    await this.ensureTemplate(admin, connection, scratchName);
    return [name];
  }

  async drop(databaseServerId: string, databaseName: string, appRole: string): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    await admin.dropDatabase(databaseName);
    await admin.dropRole(appRole);
  }

  private async createFromTemplate(admin: PostgresAdmin, connection: AdminConnection, databaseName: string): Promise<'template' | 'migrations'> {
    try {
      const template = await this.ensureTemplate(admin, connection);
      await admin.createDatabase(databaseName, { template });
      return 'template';
    } catch (error) {
      this.logger.warn(`Copying the tenant template for ${databaseName} failed (${messageOf(error)}); running the tenant migrations instead`);
      if (!(await admin.databaseExists(databaseName))) await admin.createDatabase(databaseName);
      return 'migrations';
    }
  }

  /**
   * The template of the current schema version on this server, built under a scratch name and
   * renamed when complete, so its name only ever denotes a finished template; two builders racing
   * each other both succeed (the loser drops its copy).
   */
  private async ensureTemplate(admin: PostgresAdmin, connection: AdminConnection, scratchName?: string): Promise<string> {
    const name = templateName(this.schema.version);
    if (await admin.databaseExists(name)) return name;
    const scratch = scratchName ?? `${TEMPLATE_PREFIX}build_${randomBytes(6).toString('hex')}`;
    await admin.createDatabase(scratch);
    try {
      await migrateTenantDatabase({ ...connection, database: scratch, appRole: connection.user }, this.schema.migrations);
      await admin.closeToConnections(scratch);
      await admin.renameDatabase(scratch, name);
    } catch (error) {
      await admin.dropDatabase(scratch).catch(() => undefined);
      if (await admin.databaseExists(name)) return name;
      throw error;
    }
    this.logger.log(`Built tenant template ${name}`);
    return name;
  }
}

type AdminConnection = Awaited<ReturnType<DatabaseServersService['adminConnection']>>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
