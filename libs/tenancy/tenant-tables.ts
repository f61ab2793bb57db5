import { OUTBOX_TABLE } from './outbox/outbox-event';

/**
 * A session the catalog is read on: a pg Client (which answers a QueryResult), or a TypeORM
 * QueryRunner or EntityManager (which answer the rows).
 */
export interface CatalogSession {
  query(text: string): Promise<unknown>;
}

/** Whether the tables of work in flight are read too (see WORK_IN_FLIGHT). */
export interface CatalogOptions {
  withWorkInFlight?: boolean;
}

/**
 * Tenant tables that hold work in flight rather than the tenant's data: events waiting for the
 * relay. An archive neither holds nor restores them (a restore would replay events already
 * sent), a move relays them from the source under the freeze instead of copying them (the relay
 * deleting them would make the two ends differ), and a retention purge leaves them to the relay.
 * Only a subject request reads them too: a waiting event can carry the person's address out.
 */
const WORK_IN_FLIGHT: ReadonlySet<string> = new Set([OUTBOX_TABLE]);

/** One table of the tenant schema. */
export interface TenantTable {
  name: string;
  /** Every column, in table order, tenant_id included. */
  columns: string[];
  /** Columns the database computes or numbers itself (GENERATED ALWAYS, identity ALWAYS): read, never inserted. */
  generated: string[];
  /** The primary key's columns, in key order: rows read in this order come out the same every time. */
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

export interface TenantTableLayout {
  /** Parents before the tables that refer to them. */
  tables: TenantTable[];
  /** The keys between the tables listed. */
  foreignKeys: TenantForeignKey[];
}

/**
 * A tenant table: a table (plain or partitioned, not a partition of one) of the tenant schema
 * (`public`, the schema the migrator grants on) with a `tenant_id` column: migrations/tenant give
 * every one of them it. `c` is its pg_class row.
 */
const IS_TENANT_TABLE = `c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)`;

/** Columns the database fills itself, for the pg_attribute row `a`. */
const IS_GENERATED = `(a.attgenerated <> '' OR a.attidentity = 'a')`;

/** The one reader of the tenant-table catalog: what archives, retention, subject requests and moves work on. */
export async function readTenantTableLayout(session: CatalogSession, options: CatalogOptions = {}): Promise<TenantTableLayout> {
  const columns = await rowsOf<{ table: string; column: string; generated: boolean; key_position: number | null }>(
    session,
    `SELECT c.relname AS table, a.attname AS column, ${IS_GENERATED} AS generated,
            array_position(i.indkey::int2[], a.attnum) AS key_position
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      WHERE ${IS_TENANT_TABLE}
      ORDER BY c.relname, a.attnum`,
  );
  const byName = new Map<string, TenantTable & { keyPositions: Array<[number, string]> }>();
  for (const row of columns) {
    if (!readsTable(row.table, options)) continue;
    const table = byName.get(row.table) ?? { name: row.table, columns: [], generated: [], primaryKey: [], keyPositions: [] };
    byName.set(row.table, table);
    table.columns.push(row.column);
    if (row.generated) table.generated.push(row.column);
    if (row.key_position !== null) table.keyPositions.push([row.key_position, row.column]);
  }
  // conparentid = 0: the key as declared, not the copies PostgreSQL makes of it for partitions.
  const keys = await rowsOf<{ child: string; parent: string; blocks_delete: boolean; child_columns: string[]; parent_columns: string[] }>(
    session,
    `SELECT child.relname AS child, parent.relname AS parent, k.confdeltype IN ('a', 'r') AS blocks_delete,
            ARRAY(SELECT attname FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.num ORDER BY u.ord)::text[] AS child_columns,
            ARRAY(SELECT attname FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.num ORDER BY u.ord)::text[] AS parent_columns
       FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid AND child.relnamespace = 'public'::regnamespace
       JOIN pg_class parent ON parent.oid = k.confrelid AND parent.relnamespace = 'public'::regnamespace
      WHERE k.contype = 'f' AND k.conparentid = 0
      ORDER BY k.conname`,
  );
  const foreignKeys = keys
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

/** The columns an INSERT of a copied row names: all but those the database fills itself. */
export function insertableColumns(table: TenantTable): string[] {
  return table.columns.filter((column) => !table.generated.includes(column));
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
export async function readTenantTextColumns(session: CatalogSession, options: CatalogOptions = {}): Promise<TenantTextColumn[]> {
  const rows = await rowsOf<{ table: string; column: string; type: string; generated: boolean }>(
    session,
    `SELECT c.relname AS table, a.attname AS column, ty.typname AS type, ${IS_GENERATED} AS generated
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type ty ON ty.oid = a.atttypid
      WHERE ${IS_TENANT_TABLE} AND ty.typname IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text', '_varchar')
      ORDER BY c.relname, a.attnum`,
  );
  return rows
    .filter((row) => readsTable(row.table, options))
    .map((row) => ({
      table: row.table,
      column: row.column,
      kind: row.type.startsWith('json') ? 'json' : row.type.startsWith('_') ? 'text-array' : 'text',
      generated: row.generated,
    }));
}

function readsTable(name: string, options: CatalogOptions): boolean {
  return options.withWorkInFlight === true || !WORK_IN_FLIGHT.has(name);
}

async function rowsOf<T>(session: CatalogSession, text: string): Promise<T[]> {
  const result = await session.query(text);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}
