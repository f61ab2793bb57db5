import { escapeIdentifier } from 'pg';
import { DataSource, MigrationInterface } from 'typeorm';

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

type MigrationClass = new () => MigrationInterface;

/**
 * Brings one tenant database (pooled or dedicated) to the latest tenant schema and grants the
 * application role what it needs: data access on tables, nothing on the schema itself.
 */
export async function migrateTenantDatabase(target: TenantSchemaTarget, migrations: MigrationClass[]): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    host: target.host,
    port: target.port,
    database: target.database,
    username: target.user,
    password: target.password,
    migrations,
    migrationsTableName: 'tenant_schema_migrations',
    applicationName: 'tenantry-tenant-migrator',
    extra: { max: 1, connectionTimeoutMillis: 5_000 },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const role = escapeIdentifier(target.appRole);
    await dataSource.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await dataSource.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await dataSource.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await dataSource.query(`REVOKE ALL ON tenant_schema_migrations FROM ${role}`);
    await dataSource.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await dataSource.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
