import { DataSourceKind } from './connection-settings';

export const COLUMN_TYPES = ['text', 'integer', 'decimal', 'boolean', 'timestamp', 'date', 'uuid', 'json', 'other'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface IntrospectedColumn {
  name: string;
  type: ColumnType;
  /** As the database names it, e.g. `varchar(32)` or `numeric`. */
  rawType: string;
  nullable: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
}

export interface IntrospectedTable {
  name: string;
  columns: IntrospectedColumn[];
}

export interface Introspection {
  kind: DataSourceKind;
  tables: IntrospectedTable[];
}

export interface IntrospectionOptions {
  connectTimeoutMs: number;
  /** Longest a catalog query may run before it is cancelled. */
  statementTimeoutMs?: number;
}

export interface CatalogRow {
  table_name: string;
  column_name: string;
  data_type: string;
  column_type: string;
  is_nullable: string;
  has_default: boolean | number | string;
  primary_key: boolean | number | string;
}

/** Groups information_schema rows (already ordered by table and position) into tables. */
export function tablesFrom<Row extends CatalogRow>(rows: Row[], normalize: (row: Row) => ColumnType): IntrospectedTable[] {
  const tables = new Map<string, IntrospectedTable>();
  for (const row of rows) {
    let table = tables.get(row.table_name);
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [] }));
    table.columns.push({
      name: row.column_name,
      type: normalize(row),
      rawType: row.column_type,
      nullable: row.is_nullable === 'YES',
      hasDefault: truthy(row.has_default),
      primaryKey: truthy(row.primary_key),
    });
  }
  return [...tables.values()];
}

// mysql2 answers boolean expressions as 0/1 (or '0'/'1'), pg as booleans.
function truthy(value: boolean | number | string): boolean {
  return value === true || value === 1 || value === '1';
}
