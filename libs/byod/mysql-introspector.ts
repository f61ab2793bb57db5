import { createConnection } from 'mysql2/promise';
import { SqlConnectionSettings } from './connection-settings';
import { mysqlColumnType } from './column-types';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { mysqlTypeMembers } from './column-values';
import { CatalogRow, CheckConstraint, Introspection, IntrospectionOptions, tablesFrom } from './introspection';
import { mysqlConnectionOptions } from './sql-connection-options';

// MariaDB reports "no default" of a nullable column as the string 'NULL'; MySQL as NULL.
const CATALOG_QUERY = `
  SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
         IS_NULLABLE AS is_nullable,
         ((COLUMN_DEFAULT IS NOT NULL AND COLUMN_DEFAULT <> 'NULL') OR EXTRA LIKE '%auto_increment%' OR EXTRA LIKE '%GENERATED%') AS has_default,
         (COLUMN_KEY = 'PRI') AS primary_key,
         CHARACTER_MAXIMUM_LENGTH AS character_maximum_length, NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale
    FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = database()
   ORDER BY TABLE_NAME, ORDINAL_POSITION`;

// Servers differ in where CHECK constraints are listed: MariaDB (10.2+) names each one's table in
// CHECK_CONSTRAINTS, where constraint names are unique per table only; MySQL (8.0.16+) does not, but
// its names are unique per schema, so TABLE_CONSTRAINTS gives the table. Older servers do not enforce CHECK.
const CHECK_CATALOG_QUERY = `
  SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'CHECK_CONSTRAINTS'`;
const MARIADB_CHECKS_QUERY = `
  SELECT TABLE_NAME AS \`table\`, CHECK_CLAUSE AS expression FROM information_schema.CHECK_CONSTRAINTS
   WHERE CONSTRAINT_SCHEMA = database()`;
const MYSQL_CHECKS_QUERY = `
  SELECT t.TABLE_NAME AS \`table\`, c.CHECK_CLAUSE AS expression
    FROM information_schema.TABLE_CONSTRAINTS t
    JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
   WHERE t.TABLE_SCHEMA = database() AND t.CONSTRAINT_TYPE = 'CHECK'`;

/** Reads the tables and columns of the connection's database (MySQL or MariaDB), connecting to `address`. */
export async function introspectMysql(
  settings: SqlConnectionSettings,
  address: string,
  options: IntrospectionOptions,
): Promise<Introspection> {
  const where = `MySQL at ${settings.host}:${settings.port}, database "${settings.database}" as "${settings.user}"`;
  let connection: Awaited<ReturnType<typeof createConnection>> | undefined;
  try {
    connection = await createConnection({
      ...mysqlConnectionOptions(settings, address),
      connectTimeout: options.connectTimeoutMs,
    });
    connection.on('error', () => undefined);
    const timeout = options.statementTimeoutMs ?? options.connectTimeoutMs;
    const query = async <Row>(sql: string) => (await connection!.query({ sql, timeout }))[0] as Row[];
    const rows = await query<CatalogRow>(CATALOG_QUERY);
    const checkColumns = (await query<{ name: string }>(CHECK_CATALOG_QUERY)).map((column) => column.name.toUpperCase());
    const checks = !checkColumns.includes('CHECK_CLAUSE')
      ? []
      : await query<CheckConstraint>(checkColumns.includes('TABLE_NAME') ? MARIADB_CHECKS_QUERY : MYSQL_CHECKS_QUERY);
    const reading = {
      type: (row: CatalogRow) => mysqlColumnType(row.data_type, row.column_type),
      typeMembers: (row: CatalogRow) => mysqlTypeMembers(row.column_type),
    };
    return { kind: 'mysql', tables: tablesFrom(rows, reading, checks) };
  } catch (error) {
    throw new DataSourceUnreachableError(scrubbed(`Cannot introspect ${where}: ${reasonOf(error)}`, [settings.password]));
  } finally {
    // destroy(), not end(): a timed-out server may never answer the polite goodbye.
    connection?.destroy();
  }
}
