import { Client } from 'pg';
import { SqlConnectionSettings } from './connection-settings';
import { postgresColumnType } from './column-types';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { CatalogRow, Introspection, IntrospectionOptions, tablesFrom } from './introspection';
import { pgConnectionOptions } from './sql-connection-options';

// Tables and views the user can see in one schema, with primary-key membership per column.
const CATALOG_QUERY = `
  SELECT c.table_name, c.column_name, c.data_type, c.udt_name,
         CASE WHEN c.character_maximum_length IS NOT NULL THEN c.udt_name || '(' || c.character_maximum_length || ')'
              WHEN c.data_type = 'numeric' AND c.numeric_precision IS NOT NULL THEN 'numeric(' || c.numeric_precision || ',' || c.numeric_scale || ')'
              ELSE c.udt_name END AS column_type,
         c.is_nullable,
         (c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS') AS has_default,
         -- pg_index, not information_schema's constraint views: those hide keys of tables the user does not own.
         EXISTS (
           SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indisprimary AND i.indrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
         ) AS primary_key
    FROM information_schema.columns c
   WHERE c.table_schema = $1
   ORDER BY c.table_name, c.ordinal_position`;

/** Reads the tables and columns of the configured schema (default `public`), connecting to `address` (see pgConnectionOptions). */
export async function introspectPostgres(
  settings: SqlConnectionSettings,
  address: string,
  options: IntrospectionOptions,
): Promise<Introspection> {
  const statementTimeout = options.statementTimeoutMs ?? options.connectTimeoutMs;
  const client = new Client({
    ...pgConnectionOptions(settings, address),
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout,
    application_name: 'tenantry-byod-introspection',
  });
  // A server dropping the connection later must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  const schema = settings.schema ?? 'public';
  try {
    await client.connect();
    const { rows } = await client.query<CatalogRow & { udt_name: string }>(CATALOG_QUERY, [schema]);
    return { kind: 'postgres', tables: tablesFrom(rows, (row) => postgresColumnType(row.data_type, row.udt_name)) };
  } catch (error) {
    const where = `PostgreSQL at ${settings.host}:${settings.port}, database "${settings.database}" as "${settings.user}"`;
    throw new DataSourceUnreachableError(scrubbed(`Cannot introspect ${where}: ${reasonOf(error)}`, [settings.password]));
  } finally {
    await client.end().catch(() => undefined);
  }
}
