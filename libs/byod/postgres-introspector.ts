import { Client } from 'pg';
import { SqlConnectionSettings } from './connection-settings';
import { postgresColumnType } from './column-types';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { CatalogRow, CheckConstraint, Introspection, IntrospectionOptions, tablesFrom } from './introspection';
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
         ) AS primary_key,
         c.character_maximum_length, c.numeric_precision, c.numeric_scale,
         -- An enum type's labels, in their order; null for every other type.
         (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
           WHERE t.typname = c.udt_name AND n.nspname = c.udt_schema) AS enum_labels
    FROM information_schema.columns c
   WHERE c.table_schema = $1
   ORDER BY c.table_name, c.ordinal_position`;

// Table CHECK constraints of the schema (domain constraints are not read); NOT VALID ones still bind new writes.
const CHECKS_QUERY = `
  SELECT r.relname AS "table", pg_get_expr(k.conbin, k.conrelid) AS expression
    FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
   WHERE k.contype = 'c' AND n.nspname = $1`;

type PostgresCatalogRow = CatalogRow & { udt_name: string; enum_labels: string[] | null };

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
    const { rows } = await client.query<PostgresCatalogRow>(CATALOG_QUERY, [schema]);
    const { rows: checks } = await client.query<CheckConstraint>(CHECKS_QUERY, [schema]);
    const reading = {
      type: (row: PostgresCatalogRow) => postgresColumnType(row.data_type, row.udt_name, row.enum_labels !== null),
      typeMembers: (row: PostgresCatalogRow) => (row.enum_labels ? { from: 'enum' as const, members: row.enum_labels } : undefined),
    };
    return { kind: 'postgres', tables: tablesFrom(rows, reading, checks) };
  } catch (error) {
    const where = `PostgreSQL at ${settings.host}:${settings.port}, database "${settings.database}" as "${settings.user}"`;
    throw new DataSourceUnreachableError(scrubbed(`Cannot introspect ${where}: ${reasonOf(error)}`, [settings.password]));
  } finally {
    await client.end().catch(() => undefined);
  }
}
