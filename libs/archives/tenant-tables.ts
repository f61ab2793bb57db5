import { OUTBOX_TABLE } from '../tenancy/outbox/outbox-event';
/** Anything that runs a statement in the caller's transaction: a TypeORM QueryRunner or EntityManager. */
export interface SqlRunner {
  query(text: string, parameters?: unknown[]): Promise<unknown>;
}

/** One table of a tenant schema as an archive sees it. */
export interface TenantTable {
  name: string;
  /** Every column, in table order, tenant_id included. */
  columns: string[];
  /** Columns the database computes or numbers itself (GENERATED ALWAYS, identity ALWAYS): archived, never inserted. */
  generated: string[];
  /** The primary key's columns: rows are archived in this order, so an archive of the same rows is the same bytes. */
  primaryKey: string[];
}

/** A foreign key between two tenant tables, and whether deleting a referenced row is refused while it is referenced. */
export interface TenantForeignKey {
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
  /** NO ACTION or RESTRICT: the referenced row cannot go while this row refers to it. */
  blocksDelete: boolean;
}

/**
 * Tenant tables that hold work in flight rather than the tenant's data (events waiting for the relay):
 * an archive neither holds nor restores them, so a restore never replays events already sent.
 */
const IN_FLIGHT_TABLES: ReadonlySet<string> = new Set([OUTBOX_TABLE]);

export interface TenantTableLayout {
  /** Tables with a tenant_id column, parents before the tables that refer to them. */
  tables: TenantTable[];
  foreignKeys: TenantForeignKey[];
}

/** The tenant tables an archive holds and a restore replaces: the layout without the tables of work in flight. */
export async function readArchivedTableLayout(runner: SqlRunner): Promise<TenantTableLayout> {
  const { tables, foreignKeys } = await readTenantTableLayout(runner);
  return {
    tables: tables.filter((table) => !IN_FLIGHT_TABLES.has(table.name)),
    foreignKeys: foreignKeys.filter((key) => !IN_FLIGHT_TABLES.has(key.child) && !IN_FLIGHT_TABLES.has(key.parent)),
  };
}

/**
 * The tenant tables of the connected database, read from the catalog rather than listed by hand,
 * so an archive follows the schema a migration leaves without knowing what the tables hold. A
 * tenant table is one with a `tenant_id` column (migrations/tenant: every one has it).
 */
export async function readTenantTableLayout(runner: SqlRunner): Promise<TenantTableLayout> {
  const columns = (await runner.query(`
    SELECT c.relname AS table, a.attname AS column, (a.attgenerated <> '' OR a.attidentity = 'a') AS generated,
           COALESCE(a.attnum = ANY (i.indkey::int2[]), false) AS in_key, array_position(i.indkey::int2[], a.attnum) AS key_position
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     WHERE c.relkind = 'r'
       AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
     ORDER BY c.relname, a.attnum`)) as Array<{
    table: string;
    column: string;
    generated: boolean;
    in_key: boolean;
    key_position: number | null;
  }>;
  const byName = new Map<string, TenantTable & { keyPositions: Array<[number, string]> }>();
  for (const row of columns) {
    const table = byName.get(row.table) ?? { name: row.table, columns: [], generated: [], primaryKey: [], keyPositions: [] };
    byName.set(row.table, table);
    table.columns.push(row.column);
    if (row.generated) table.generated.push(row.column);
    if (row.in_key && row.key_position !== null) table.keyPositions.push([row.key_position, row.column]);
  }
  const foreignKeys = (
    (await runner.query(`
      SELECT child.relname AS child, parent.relname AS parent, k.confdeltype IN ('a', 'r') AS blocks_delete,
             ARRAY(SELECT attname FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.num ORDER BY u.ord)::text[] AS child_columns,
             ARRAY(SELECT attname FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.num ORDER BY u.ord)::text[] AS parent_columns
        FROM pg_constraint k
        JOIN pg_class child ON child.oid = k.conrelid
        JOIN pg_class parent ON parent.oid = k.confrelid
       WHERE k.contype = 'f'`)) as Array<{
      child: string;
      parent: string;
      blocks_delete: boolean;
      child_columns: string[];
      parent_columns: string[];
    }>
  )
    .filter((key) => byName.has(key.child) && byName.has(key.parent))
    .map((key) => ({
      child: key.child,
      parent: key.parent,
      childColumns: key.child_columns,
      parentColumns: key.parent_columns,
      blocksDelete: key.blocks_delete,
    }));
  const tables = [...byName.values()].map(({ keyPositions, ...table }) => ({
    ...table,
    primaryKey: keyPositions.sort(([a], [b]) => a - b).map(([, column]) => column),
  }));
  return { tables: parentsFirst(tables, foreignKeys), foreignKeys };
}

/** Tables ordered so each comes after every table it refers to (a table referring to itself does not count). */
export function parentsFirst<T extends { name: string }>(tables: T[], foreignKeys: Pick<TenantForeignKey, 'child' | 'parent'>[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length > 0) {
    const ready = remaining.filter((table) =>
      foreignKeys.every((key) => key.child !== table.name || key.parent === table.name || placed.has(key.parent)),
    );
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among ${remaining.map((table) => table.name).join(', ')}`);
    for (const table of ready) placed.add(table.name);
    ordered.push(...ready);
    remaining = remaining.filter((table) => !placed.has(table.name));
  }
  return ordered;
}

/** A column of a tenant table that can hold free text: text and character types, JSON, and arrays of text. */
export interface TenantTextColumn {
  table: string;
  column: string;
  kind: 'text' | 'json' | 'text-array';
  /** Computed by the database (GENERATED ALWAYS): it follows its sources and is never written. */
  generated: boolean;
}

/** Every column of the tenant tables that can hold text, for searching the tenant's data for a value wherever it was written. */
export async function readTenantTextColumns(runner: SqlRunner): Promise<TenantTextColumn[]> {
  const rows = (await runner.query(`
    SELECT c.relname AS table, a.attname AS column, ty.typname AS type, (a.attgenerated <> '' OR a.attidentity = 'a') AS generated
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_type ty ON ty.oid = a.atttypid
     WHERE c.relkind = 'r' AND ty.typname IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text', '_varchar')
       AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
     ORDER BY c.relname, a.attnum`)) as Array<{ table: string; column: string; type: string; generated: boolean }>;
  return rows.map((row) => ({
    table: row.table,
    column: row.column,
    kind: row.type.startsWith('json') ? 'json' : row.type.startsWith('_') ? 'text-array' : 'text',
    generated: row.generated,
  }));
}
