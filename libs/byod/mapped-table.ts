import { introspectedIdentifier } from './identifiers';
import { Introspection } from './introspection';
import {
  Condition,
  FieldCodec,
  FieldTranslation,
  ListedRow,
  MappedCollection,
  MappedRecord,
  PageRequest,
  SourceMatch,
  UnmappedFieldError,
} from './mapped-collection';
import { EntityMapping } from './mapping-validation';
import { SourceDataError } from './data-source-error';
import { SourceRefusedValueError } from './source-refusal';
import { SqlSource } from './sql-source';

/**
 * One of our entities served from a customer's table through a validated field mapping. Every
 * identifier comes from the introspection (quoted for the dialect), every value is a bound
 * parameter, value maps translate enumerations both ways, and codecs convert representations.
 * Fields the mapping leaves out are absent from records and refused in conditions.
 */
export class MappedTable implements MappedCollection {
  private readonly table: string;
  private readonly translation: FieldTranslation;

  constructor(
    private readonly source: SqlSource,
    private readonly introspection: Introspection,
    private readonly mapping: EntityMapping,
    /** Our field that identifies a record (mapped to the table's key). */
    private readonly key: string,
    codecs: Record<string, FieldCodec> = {},
  ) {
    this.table = introspectedIdentifier(source.dialect, introspection, mapping.table);
    this.translation = new FieldTranslation(mapping, codecs);
    this.column(key);
  }

  has(field: string): boolean {
    return Object.hasOwn(this.mapping.fields, field);
  }

  async list(page: PageRequest): Promise<ListedRow[]> {
    const params: unknown[] = [];
    const where = page.conditions.map((condition) => this.condition(condition, params));
    const sort = this.column(page.sort.field);
    const key = this.column(this.key);
    if (page.after) {
      const comparison = page.sort.direction === 'ASC' ? '>' : '<';
      where.push(`(${sort}, ${key}) ${comparison} (${this.bind(params, page.after.sortValue)}, ${this.bind(params, page.after.key)})`);
    }
    const sql = `SELECT ${this.selectList()}, ${sort} AS ${this.alias('__sort')}, ${key} AS ${this.alias('__key')} FROM ${this.table}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sort} ${page.sort.direction}, ${key} ${page.sort.direction}
      LIMIT ${Math.max(1, Math.min(1000, Math.trunc(page.limit)))}`;
    const rows = await this.source.query(sql, params);
    return rows.map((row) => ({ record: this.fromRow(row), position: { sortValue: row.__sort, key: row.__key } }));
  }

  async get(key: unknown): Promise<MappedRecord | null> {
    if (!this.keyFits(key)) return null;
    const params: unknown[] = [];
    const rows = await this.source.query(
      `SELECT ${this.selectList()} FROM ${this.table} WHERE ${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))}`,
      params,
    );
    return rows.length ? this.fromRow(rows[0]) : null;
  }

  /** Inserts a record; without a key the customer's table generates one (serial, AUTO_INCREMENT, default). */
  async insert(record: MappedRecord): Promise<MappedRecord> {
    return this.refusalsNamed(() => this.inserted(record));
  }

  private async inserted(record: MappedRecord): Promise<MappedRecord> {
    const fields = Object.keys(record).filter((field) => record[field] !== undefined);
    const params: unknown[] = [];
    const values = fields.map((field) => this.bind(params, this.encode(field, record[field])));
    const insert = `INSERT INTO ${this.table} (${fields.map((field) => this.column(field)).join(', ')}) VALUES (${values.join(', ')})`;
    if (record[this.key] !== undefined) {
      await this.source.execute(insert, params);
      return (await this.get(record[this.key]))!;
    }
    if (this.source.dialect === 'postgres') {
      const [row] = await this.source.query(`${insert} RETURNING ${this.column(this.key)} AS ${this.alias('__key')}`, params);
      return (await this.get(row.__key))!;
    }
    const { insertId } = await this.source.execute(insert, params);
    // MySQL reports only AUTO_INCREMENT keys: one made by a column default cannot be read back.
    if (!insertId)
      throw new SourceDataError(
        `the record was stored, but its key is not AUTO_INCREMENT and cannot be read back; send ${this.key} when creating in this table`,
      );
    return (await this.get(insertId))!;
  }

  /** Changes the given fields of the record with this key; null when there is none. */
  async update(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    const written = Object.keys(patch).filter((field) => patch[field] !== undefined);
    return this.refusalsNamed(() => this.updated(key, patch), written);
  }

  private async updated(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    if (!this.keyFits(key)) return null;
    const fields = Object.keys(patch).filter((field) => patch[field] !== undefined);
    if (fields.length > 0) {
      const params: unknown[] = [];
      const assignments = fields.map((field) => `${this.column(field)} = ${this.bind(params, this.encode(field, patch[field]))}`);
      const where = `${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))}`;
      await this.source.query(`UPDATE ${this.table} SET ${assignments.join(', ')} WHERE ${where}`, params);
    }
    return this.get(fields.includes(this.key) ? patch[this.key] : key);
  }

  /**
   * Adds `delta` to a numeric field only while the result stays at or above `floor`, in one
   * statement, so concurrent changes cannot take it below; null when the record is missing or
   * the change would.
   */
  async increment(key: unknown, field: string, delta: number, floor: number): Promise<MappedRecord | null> {
    if (!this.keyFits(key)) return null;
    const column = this.column(field);
    const params: unknown[] = [];
    const amount = this.bind(params, delta);
    const where = `${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))} AND ${column} + ${this.bind(params, delta)} >= ${this.bind(params, floor)}`;
    const { affected } = await this.refusalsNamed(() =>
      this.source.execute(`UPDATE ${this.table} SET ${column} = ${column} + ${amount} WHERE ${where}`, params),
    );
    return affected > 0 ? this.get(key) : null;
  }

  async countUpTo(limit: number): Promise<number> {
    const bounded = Math.max(0, Math.trunc(limit));
    const [row] = await this.source.query(
      `SELECT count(*) AS ${this.alias('n')} FROM (SELECT 1 AS one FROM ${this.table} LIMIT ${bounded}) counted`,
    );
    return Number(row.n);
  }

  async delete(key: unknown): Promise<boolean> {
    if (!(await this.get(key))) return false;
    const params: unknown[] = [];
    await this.refusalsNamed(() =>
      this.source.query(
        `DELETE FROM ${this.table} WHERE ${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))}`,
        params,
      ),
    );
    return true;
  }

  /**
   * A refusal by the customer's database, its column named as our field when the mapping maps it;
   * when the database names no column (PostgreSQL, for a value too long or of the wrong type), the
   * field is still known if the statement wrote only one. MySQL names a duplicate key PRIMARY.
   */
  private async refusalsNamed<T>(work: () => Promise<T>, written: string[] = []): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof SourceRefusedValueError) || error.field !== undefined) throw error;
      const column = error.column?.toLowerCase();
      const field =
        column === undefined
          ? written.length === 1
            ? written[0]
            : undefined
          : column === 'primary'
            ? this.key
            : Object.keys(this.mapping.fields).find((candidate) => this.mapping.fields[candidate].toLowerCase() === column);
      throw error.naming(field);
    }
  }

  /** A key the key column could not hold (text for an integer key) names no record: not a database error. */
  private keyFits(key: unknown): boolean {
    const column = this.introspection.tables
      .find((table) => table.name === this.mapping.table)
      ?.columns.find((candidate) => candidate.name === this.mapping.fields[this.key]);
    const text = String(key);
    if (column?.type === 'integer') return /^-?\d{1,18}$/.test(text);
    if (column?.type === 'uuid') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
    return true;
  }

  private condition(condition: Condition, params: unknown[]): string {
    if (condition.op === 'contains') {
      const pattern = `%${condition.value.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      const parts = condition.fields.map((field) => `LOWER(${this.column(field)}) LIKE ${this.bind(params, pattern)}`);
      return `(${parts.join(' OR ')})`;
    }
    if ('other' in condition) {
      return `${this.column(condition.field)} ${condition.op === '<=field' ? '<=' : '>'} ${this.column(condition.other)}`;
    }
    const match = condition.op === '=' ? this.translation.sourceMatch(condition.field, condition.value) : undefined;
    if (match) return this.matching(this.column(condition.field), match, params);
    return `${this.column(condition.field)} ${condition.op} ${this.bind(params, this.encode(condition.field, condition.value))}`;
  }

  /** A value-mapped field's filter: its source value, or (for `unmapped` or the fallback) any value outside the map. */
  private matching(column: string, match: SourceMatch, params: unknown[]): string {
    const parts = match.values.map((value) => `${column} = ${this.bind(params, value)}`);
    if (match.unknown) {
      const known = match.known.map((value) => this.bind(params, value));
      parts.push(`(${column} IS NOT NULL${known.length ? ` AND ${column} NOT IN (${known.join(', ')})` : ''})`);
    }
    return parts.length ? `(${parts.join(' OR ')})` : '1 = 0';
  }

  private selectList(): string {
    return Object.keys(this.mapping.fields)
      .map((field) => `${this.column(field)} AS ${this.alias(field)}`)
      .join(', ');
  }

  private fromRow(row: Record<string, unknown>): MappedRecord {
    return Object.fromEntries(Object.keys(this.mapping.fields).map((field) => [field, this.decode(field, row[field])]));
  }

  private encode(field: string, value: unknown): unknown {
    return this.translation.toSource(field, value);
  }

  private decode(field: string, value: unknown): unknown {
    return this.translation.fromSource(field, value);
  }

  /** Our field's column, quoted; a field the mapping leaves out cannot reach SQL. */
  private column(field: string): string {
    if (!this.has(field)) throw new UnmappedFieldError(field);
    return introspectedIdentifier(this.source.dialect, this.introspection, this.mapping.table, this.mapping.fields[field]);
  }

  /** Output aliases are our field names, which come from code, not from users. */
  private alias(name: string): string {
    return this.source.dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
  }

  private bind(params: unknown[], value: unknown): string {
    params.push(value);
    return this.source.dialect === 'postgres' ? `$${params.length}` : '?';
  }
}
