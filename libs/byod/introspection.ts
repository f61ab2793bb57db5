import { checkedValues } from './column-values';
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
  /**
   * The only values the column accepts, when its type or a CHECK constraint lists them: an ENUM's
   * or SET's members (a SET also takes comma-joined combinations), a PostgreSQL enum's labels, or
   * a `col IN (…)` CHECK's values. Absent when free, unknown, or introspected before this was read.
   */
  allowedValues?: { from: 'enum' | 'set' | 'check'; members: string[] };
  /** Longest text the column holds, in characters (varchar(n), char(n)); absent when unbounded or unknown. */
  maxLength?: number;
  /** A decimal column's declared digits in all and after the point; absent when unconstrained (PostgreSQL `numeric`) or unknown. */
  precision?: number;
  scale?: number;
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
  character_maximum_length: number | string | null;
  numeric_precision: number | string | null;
  numeric_scale: number | string | null;
}

/** A CHECK constraint's expression on one table, as the catalog prints it. */
export interface CheckConstraint {
  table: string;
  expression: string;
}

/** How a dialect reads a catalog row: its normalized type and the values its type lists (ENUM, SET, enum type). */
export interface ColumnReading<Row> {
  type: (row: Row) => ColumnType;
  typeMembers: (row: Row) => IntrospectedColumn['allowedValues'];
}

/**
 * Groups information_schema rows (already ordered by table and position) into tables, then
 * narrows each column's allowed values by the CHECK constraints that list them.
 */
export function tablesFrom<Row extends CatalogRow>(
  rows: Row[],
  reading: ColumnReading<Row>,
  checks: CheckConstraint[] = [],
): IntrospectedTable[] {
  const tables = new Map<string, IntrospectedTable>();
  for (const row of rows) {
    let table = tables.get(row.table_name);
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [] }));
    const type = reading.type(row);
    table.columns.push({
      name: row.column_name,
      type,
      rawType: row.column_type,
      nullable: row.is_nullable === 'YES',
      hasDefault: truthy(row.has_default),
      primaryKey: truthy(row.primary_key),
      ...present('allowedValues', reading.typeMembers(row)),
      ...present('maxLength', type === 'text' ? count(row.character_maximum_length) : undefined),
      ...present('precision', type === 'decimal' ? count(row.numeric_precision) : undefined),
      ...present('scale', type === 'decimal' && count(row.numeric_precision) !== undefined ? count(row.numeric_scale) : undefined),
    });
  }
  for (const check of checks) {
    const limited = checkedValues(check.expression);
    const column = limited && tables.get(check.table)?.columns.find((candidate) => candidate.name === limited.column);
    if (column) column.allowedValues = narrowed(column.allowedValues, limited.members);
  }
  return [...tables.values()];
}

/** A column must satisfy its type and every CHECK: only values all of them allow are allowed. */
function narrowed(current: IntrospectedColumn['allowedValues'], checked: string[]): IntrospectedColumn['allowedValues'] {
  if (!current) return { from: 'check', members: [...new Set(checked)] };
  // A SET's combinations are not listed, so a CHECK naming one is kept as allowed by the SET.
  const members = current.from === 'set' ? checked : current.members.filter((member) => checked.includes(member));
  return { from: current.from === 'set' ? 'check' : current.from, members };
}

/** Only properties with a value, so stored introspections carry no `undefined` noise. */
function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// mysql2 answers information_schema's unsigned counts as numbers or strings (BIGINT), pg as numbers.
function count(value: number | string | null): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

// mysql2 answers boolean expressions as 0/1 (or '0'/'1'), pg as booleans.
function truthy(value: boolean | number | string): boolean {
  return value === true || value === 1 || value === '1';
}
