import { escapeIdentifier } from 'pg';
import { DataSource, Logger, MigrationExecutor, MigrationInterface, QueryRunner } from 'typeorm';
import { cancellingOnAbort } from './cancel-on-abort';

export interface TenantSchemaTarget {
  /** Connection as a role that owns the schema (the database server's admin). */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** The application role that gets row access (never ownership) to every table. */
  appRole: string;
}

export type MigrationClass = new () => MigrationInterface;

export interface TenantSchemaState {
  /** Tenant migrations recorded in the database, oldest first. */
  applied: string[];
  /** Migrations of the list not recorded yet, in the order they would run. */
  pending: string[];
}

/** Another runner holds this database's migration lock. */
export class MigrationLockedError extends Error {
  constructor(database: string) {
    super(`Database ${database} is being migrated by another runner`);
  }
}

const MIGRATIONS_TABLE = 'tenant_schema_migrations';
/** pg_advisory_lock key of tenant-schema migration, the same in every tenant database. */
export const MIGRATION_LOCK_KEY = 7_123_801;

const ignore = () => undefined;
const SILENT: Logger = {
  logQuery: ignore,
  logQueryError: ignore,
  logQuerySlow: ignore,
  logSchemaBuild: ignore,
  logMigration: ignore,
  log: ignore,
};

/** The version a list of migrations brings a database to: the name of its last migration. */
export function schemaVersionOf(migrations: MigrationClass[]): string {
  return new migrations[migrations.length - 1]().name ?? migrations[migrations.length - 1].name;
}

/**
 * Brings one tenant database (pooled or dedicated) to the latest tenant schema and grants the
 * application role what it needs: data access on tables, nothing on the schema itself.
 * Holds an advisory lock for the whole run, so two runners never migrate the same database;
 * the second gets MigrationLockedError at once. Each migration runs in its own transaction, so a
 * failure keeps the ones before it and a rerun resumes from there. When `signal` aborts, the
 * statement running is cancelled (its migration rolls back) and no further one starts.
 */
export async function migrateTenantDatabase(
  target: TenantSchemaTarget,
  migrations: MigrationClass[],
  options: { signal?: AbortSignal } = {},
): Promise<string[]> {
  return withMigrationDataSource(target, migrations, options.signal, async (dataSource, runner) => {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY])) as Array<{
      locked: boolean;
    }>;
    if (!locked) throw new MigrationLockedError(target.database);
    try {
      // On our runner: the one runMigrations takes is never released if reading the applied migrations fails (the pool has one).
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      await grantAppRole(runner, target.appRole, target.user);
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** What is applied and what would run, without changing anything (for dry runs). */
export async function inspectTenantDatabase(target: TenantSchemaTarget, migrations: MigrationClass[]): Promise<TenantSchemaState> {
  return withMigrationDataSource(target, migrations, undefined, async (dataSource, runner) => {
    const [{ present }] = (await runner.query('SELECT to_regclass($1) IS NOT NULL AS present', [MIGRATIONS_TABLE])) as Array<{
      present: boolean;
    }>;
    const rows = present ? ((await runner.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)) as Array<{ name: string }>) : [];
    const applied = rows.map((row) => row.name);
    const pending = dataSource.migrations.map((migration) => migration.name!).filter((name) => !applied.includes(name));
    return { applied, pending };
  });
}

async function withMigrationDataSource<T>(
  target: TenantSchemaTarget,
  migrations: MigrationClass[],
  signal: AbortSignal | undefined,
  work: (dataSource: DataSource, runner: QueryRunner) => Promise<T>,
): Promise<T> {
  signal?.throwIfAborted();
  const dataSource = new DataSource({
    type: 'postgres',
    host: target.host,
    port: target.port,
    database: target.database,
    username: target.user,
    password: target.password,
    migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    applicationName: 'tenantry-tenant-migrator',
    // Failures are reported to the caller (and recorded per database), not printed.
    logger: SILENT,
    // One connection: the advisory lock belongs to the session that runs the migrations.
    extra: { max: 1, connectionTimeoutMillis: 5_000 },
  });
  await dataSource.initialize();
  // Every statement runs on this runner's connection: the advisory lock and a cancel belong to its session.
  const runner = dataSource.createQueryRunner();
  try {
    if (!signal) return await work(dataSource, runner);
    const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>;
    const connection = { host: target.host, port: target.port, database: target.database, user: target.user, password: target.password };
    return await cancellingOnAbort(connection, pid, signal, () => work(dataSource, runner));
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

async function grantAppRole(runner: QueryRunner, appRole: string, owner: string): Promise<void> {
  const role = escapeIdentifier(appRole);
  await runner.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await runner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  // A template is migrated with its owner standing in for the app role: an owner that is not a superuser
  // is held to its own grants, so revoking them would lock the migrations of every copy out of this table.
  if (appRole !== owner) await runner.query(`REVOKE ALL ON ${MIGRATIONS_TABLE} FROM ${role}`);
  await runner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  // Also the functions kept from PUBLIC (outbox_pending_tenants): the app role is the one that may call them.
  await runner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`);
}
