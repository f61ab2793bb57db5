import { ConflictException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { NotOwnedError, Owner, OwnershipMark, sameMark } from '../../../libs/tenancy/ownership-mark';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { migrateTenantDatabase } from '../../../libs/tenancy/tenant-schema-migrator';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from './control-plane-identity';

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
  return `${TEMPLATE_PREFIX}${versionPart(schemaVersion)}`.slice(0, 63);
}

/** This control plane's own name for the template, used when `templateName` is taken by a database it did not build. */
export function ownTemplateName(schemaVersion: string, controlPlaneId: string): string {
  return `${TEMPLATE_PREFIX}${controlPlaneId.slice(0, 8)}_${versionPart(schemaVersion)}`.slice(0, 63);
}

function versionPart(schemaVersion: string): string {
  return schemaVersion.toLowerCase().replace(/[^a-z0-9_]/g, '_');
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
    private readonly identity: ControlPlaneIdentity,
  ) {}

  /**
   * Creates database and role in one go for `owner`; either both exist afterwards or neither does.
   * A name taken by anything this control plane did not create for this owner is a 409, and that
   * object is left exactly as it was.
   */
  async create(databaseServerId: string, databaseName: string, appRole: string, owner: Owner): Promise<CreatedTenantDatabase> {
    const appPassword = randomBytes(24).toString('base64url');
    try {
      const { schemaVersion } = await this.ensure(databaseServerId, databaseName, appRole, appPassword, owner);
      return { databaseName, appRole, appPassword, schemaVersion };
    } catch (error) {
      // Only what carries this owner's mark is undone: something of that name that is not ours stays.
      await this.dropWhatIsOurs(databaseServerId, databaseName, appRole, owner).catch(() => undefined);
      if (error instanceof ConflictException) throw error;
      this.logger.error(`Creating tenant database ${databaseName} failed: ${messageOf(error)}`);
      throw new ServiceUnavailableException(
        'The tenant database could not be created; nothing was kept. Try again or choose another server.',
      );
    }
  }

  /**
   * Idempotent for one owner: makes sure the role exists with this password and the database
   * exists at the latest tenant schema with the role's grants, whatever an earlier, interrupted run
   * for the same owner left. Nothing is created, changed or migrated unless both names are free or
   * carry this control plane's mark for this owner; otherwise a 409 (ConflictException) says which.
   * When `signal` aborts, the statement running (CREATE DATABASE, a migration…) is cancelled, nothing
   * further starts and the abort's reason is thrown; the database name is then free or carries our mark.
   */
  async ensure(
    databaseServerId: string,
    databaseName: string,
    appRole: string,
    appPassword: string,
    owner: Owner,
    signal?: AbortSignal,
  ): Promise<EnsuredTenantDatabase> {
    const connection = await this.servers.adminConnection(databaseServerId);
    const admin = new PostgresAdmin(connection, signal);
    const mark = await this.identity.markFor(owner);
    const started = Date.now();
    return refusingWhatIsNotOurs(async () => {
      const existing = await admin.inspectDatabase(databaseName);
      if (existing && !sameMark(existing.mark, mark)) throw new NotOwnedError('database', databaseName, existing.mark, mark);
      await admin.ensureMarkedAppRole(appRole, appPassword, mark);
      const origin = existing ? 'existing' : await this.createFromTemplate(admin, connection, databaseName, mark, signal);
      await admin.restrictDatabaseTo(databaseName, appRole);
      await migrateTenantDatabase({ ...connection, database: databaseName, appRole }, this.schema.migrations, { signal });
      this.logger.log(`Tenant database ${databaseName} ready (${origin}) in ${Date.now() - started} ms`);
      return { schemaVersion: this.schema.version, origin };
    });
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
    if ((await this.templateOn(admin)).exists) return [];
    return [await this.ensureTemplate(admin, connection, scratchName)];
  }

  /** Drops database and role if they carry this owner's mark; anything else of those names is a 409 and stays. */
  async drop(databaseServerId: string, databaseName: string, appRole: string, owner: Owner): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const mark = await this.identity.markFor(owner);
    await refusingWhatIsNotOurs(async () => {
      await admin.dropOwnedDatabase(databaseName, mark);
      await admin.dropOwnedRole(appRole, mark);
    });
  }

  /** Deletes one tenant's rows from a pooled database, which must carry the pool's mark (409 otherwise). */
  async deletePooledTenantRows(
    databaseServerId: string,
    databaseName: string,
    pool: Owner,
    tenantId: string,
  ): Promise<Record<string, number>> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const mark = await this.identity.markFor(pool);
    return refusingWhatIsNotOurs(async () => {
      const found = await admin.inspectDatabase(databaseName);
      if (found && !sameMark(found.mark, mark)) throw new NotOwnedError('database', databaseName, found.mark, mark);
      return admin.deleteTenantRows(databaseName, tenantId);
    });
  }

  private async dropWhatIsOurs(databaseServerId: string, databaseName: string, appRole: string, owner: Owner): Promise<void> {
    const admin = new PostgresAdmin(await this.servers.adminConnection(databaseServerId));
    const mark = await this.identity.markFor(owner);
    await admin.dropOwnedDatabase(databaseName, mark).catch(() => undefined);
    await admin.dropOwnedRole(appRole, mark).catch(() => undefined);
  }

  private async createFromTemplate(
    admin: PostgresAdmin,
    connection: AdminConnection,
    databaseName: string,
    mark: OwnershipMark,
    signal?: AbortSignal,
  ): Promise<EnsuredTenantDatabase['origin']> {
    try {
      const template = await this.ensureTemplate(admin, connection, undefined, signal);
      return await this.createOrAdopt(admin, databaseName, mark, 'template', template);
    } catch (error) {
      if (error instanceof NotOwnedError || signal?.aborted) throw error;
      this.logger.warn(
        `Copying the tenant template for ${databaseName} failed (${messageOf(error)}); running the tenant migrations instead`,
      );
      return this.createOrAdopt(admin, databaseName, mark, 'migrations');
    }
  }

  /** A concurrent attempt for the same owner may create the name first: then its database is ours to finish. */
  private async createOrAdopt(
    admin: PostgresAdmin,
    databaseName: string,
    mark: OwnershipMark,
    origin: 'template' | 'migrations',
    template?: string,
  ): Promise<EnsuredTenantDatabase['origin']> {
    try {
      await admin.createMarkedDatabase(databaseName, mark, { template });
      return origin;
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
      const existing = await admin.inspectDatabase(databaseName);
      if (!existing || !sameMark(existing.mark, mark)) {
        throw new NotOwnedError('database', databaseName, existing?.mark ?? null, mark);
      }
      return 'existing';
    }
  }

  /**
   * The template of the current schema version on this server, built under a scratch name and
   * renamed when complete, so its name only ever denotes a finished template; two builders racing
   * each other both succeed (the loser drops its copy).
   */
  private async ensureTemplate(
    admin: PostgresAdmin,
    connection: AdminConnection,
    scratchName?: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const { name, exists } = await this.templateOn(admin);
    if (exists) return name;
    const scratch = scratchName ?? `${TEMPLATE_PREFIX}build_${randomBytes(6).toString('hex')}`;
    const mark = await this.templateMark();
    await admin.createMarkedDatabase(scratch, mark);
    try {
      await migrateTenantDatabase({ ...connection, database: scratch, appRole: connection.user }, this.schema.migrations, { signal });
      await admin.closeToConnections(scratch);
      await admin.renameDatabase(scratch, name);
    } catch (error) {
      await admin
        .uncancellable()
        .dropOwnedDatabase(scratch, mark)
        .catch(() => undefined);
      const built = await this.templateOn(admin);
      if (built.exists) return built.name;
      throw error;
    }
    this.logger.log(`Built tenant template ${name}`);
    return name;
  }

  /**
   * Where the current version's template is (or is to be built) on this server, and whether it
   * exists: a database under either of its names that carries this control plane's template mark,
   * else the first of them that is free. `tenantry_tpl_<version>` comes first; when a database
   * without this mark holds it (another control plane's, or one from before marks), that database is
   * neither copied nor rebuilt, and this control plane's template goes under `ownTemplateName`. Once
   * built there it stays the one copied, even if the shared name is freed later: never a second
   * template of the same version.
   */
  private async templateOn(admin: PostgresAdmin): Promise<{ name: string; exists: boolean }> {
    const mark = await this.templateMark();
    const candidates = [];
    for (const name of [templateName(this.schema.version), ownTemplateName(this.schema.version, mark.controlPlaneId)]) {
      candidates.push({ name, found: await admin.inspectDatabase(name) });
    }
    const ours = candidates.find(({ found }) => found && sameMark(found.mark, mark));
    if (ours) return { name: ours.name, exists: true };
    const free = candidates.find(({ found }) => !found);
    if (free) return { name: free.name, exists: false };
    throw new Error(`no template name for ${this.schema.version} is free or this control plane's; not building a template`);
  }

  private templateMark(): Promise<OwnershipMark> {
    return this.identity.markFor({ kind: 'template', ownerId: this.schema.version });
  }
}

type AdminConnection = Awaited<ReturnType<DatabaseServersService['adminConnection']>>;

const DUPLICATE_DATABASE = '42P04';

/** A name held by something that is not provably ours is the caller's conflict (409), never a reason to touch it. */
async function refusingWhatIsNotOurs<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof NotOwnedError) throw new ConflictException(error.message);
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
