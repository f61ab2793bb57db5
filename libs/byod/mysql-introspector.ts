import { createConnection } from 'mysql2/promise';
import { SqlConnectionSettings } from './connection-settings';
import { mysqlColumnType } from './column-types';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { CatalogRow, Introspection, IntrospectionOptions, tablesFrom } from './introspection';
import { mysqlConnectionOptions } from './sql-connection-options';

// MariaDB reports "no default" of a nullable column as the string 'NULL'; MySQL as NULL.
const CATALOG_QUERY = `
  SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
         IS_NULLABLE AS is_nullable,
         ((COLUMN_DEFAULT IS NOT NULL AND COLUMN_DEFAULT <> 'NULL') OR EXTRA LIKE '%auto_increment%' OR EXTRA LIKE '%GENERATED%') AS has_default,
         (COLUMN_KEY = 'PRI') AS primary_key
    FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = database()
   ORDER BY TABLE_NAME, ORDINAL_POSITION`;

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
    const [rows] = await connection.query({ sql: CATALOG_QUERY, timeout: options.statementTimeoutMs ?? options.connectTimeoutMs });
    return { kind: 'mysql', tables: tablesFrom(rows as CatalogRow[], (row) => mysqlColumnType(row.data_type, row.column_type)) };
  } catch (error) {
    throw new DataSourceUnreachableError(scrubbed(`Cannot introspect ${where}: ${reasonOf(error)}`, [settings.password]));
  } finally {
    // destroy(), not end(): a timed-out server may never answer the polite goodbye.
    connection?.destroy();
  }
}
