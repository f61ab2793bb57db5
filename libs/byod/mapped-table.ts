import { counterChangeStatement, CounterChange } from './counter-change';
import { CUSTOM_FIELDS, customFieldFromSource, customFieldName, customFieldToSource } from './custom-field-values';
import { introspectedIdentifier } from './identifiers';
import { IntrospectedColumn, Introspection } from './introspection';
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
import { UnstorableValueError } from './value-errors';

/** One column a write sets (quoted), with the value already converted for it. */
interface Assignment {
  column: string;
  value: unknown;
}

/**
 * One of our entities served from a customer's table through a validated field mapping. Every
 * identifier comes from the introspection (quoted for the dialect), every value is a bound
 * parameter, value maps translate enumerations both ways, and codecs convert representations.
 * Fields the mapping leaves out are absent from records and refused in conditions. Extra columns
 * the mapping declares as custom fields are read and written as one record property
 * (CUSTOM_FIELDS: key → value), converted by their column's type.
 */
export class MappedTable implements MappedCollection {
  private readonly table: string;
  private readonly translation: FieldTranslation;
  /** Fields on PostgreSQL char(n) columns, whose values come padded with spaces that PostgreSQL's own comparisons ignore. */
  private readonly padded: ReadonlySet<string>;

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
    this.padded = new Set(
      Object.keys(mapping.fields).filter(
        (field) => source.dialect === 'postgres' && this.introspected(mapping.fields[field])?.rawType.startsWith('bpchar'),
      ),
    );
    this.column(key);
  }

  has(field: string): boolean {
    if (field === CUSTOM_FIELDS) return this.customKeys.length > 0;
    return Object.hasOwn(this.mapping.fields, field);
  }

  private get customKeys(): string[] {
    return Object.keys(this.mapping.customFields ?? {});
  }

  async list(page: PageRequest): Promise<ListedRow[]> {
    const params: unknown[] = [];
    const where = page.conditions.map((condition) => this.condition(condition, params));
    const sort = this.column(page.sort.field);
    const key = this.column(this.key);
    if (page.after) where.push(this.after(sort, key, page.sort.direction, page.after, params));
    // ORDER BY names the table's columns: a bare name there would mean the select list's alias of that name first
    // (a column called `name` mapped to sku, while our field `name` is another column), and pages would skip rows.
    const sql = `SELECT ${this.selectList()}, ${this.sortValue(page.sort.field, sort)} AS ${this.alias('__sort')}, ${key} AS ${this.alias('__key')} FROM ${this.table}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${this.table}.${sort} ${page.sort.direction}, ${this.table}.${key} ${page.sort.direction}
      LIMIT ${Math.max(1, Math.min(1000, Math.trunc(page.limit)))}`;
    const rows = await this.source.query(sql, params);
    return rows.map((row) => ({ record: this.fromRow(row), position: { sortValue: row.__sort, key: row.__key } }));
  }

  /**
   * The rows after a page's last one. PostgreSQL answers a row comparison `(sort, key) > (…)` from an index on both;
   * MariaDB cannot, and would read the table from its start for every page, so for MySQL it is spelled out.
   */
  private after(sort: string, key: string, direction: 'ASC' | 'DESC', after: NonNullable<PageRequest['after']>, params: unknown[]): string {
    const beyond = direction === 'ASC' ? '>' : '<';
    if (sort === key) return `${key} ${beyond} ${this.bind(params, after.key)}`;
    if (this.source.dialect === 'postgres') {
      return `(${sort}, ${key}) ${beyond} (${this.bind(params, after.sortValue)}, ${this.bind(params, after.key)})`;
    }
    const sortValue = this.bind(params, after.sortValue);
    const tie = this.bind(params, after.sortValue);
    return `(${sort} ${beyond} ${sortValue} OR (${sort} = ${tie} AND ${key} ${beyond} ${this.bind(params, after.key)}))`;
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
    const assignments = this.assignments(record);
    const params: unknown[] = [];
    const values = assignments.map((assignment) => this.bind(params, assignment.value));
    const insert = `INSERT INTO ${this.table} (${assignments.map((assignment) => assignment.column).join(', ')}) VALUES (${values.join(', ')})`;
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
    const written = Object.keys(patch).flatMap((field) => {
      const value = patch[field];
      if (value === undefined) return [];
      return field === CUSTOM_FIELDS && typeof value === 'object' && value !== null ? Object.keys(value).map(customFieldName) : [field];
    });
    return this.refusalsNamed(() => this.updated(key, patch), written);
  }

  private async updated(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    if (!this.keyFits(key)) return null;
    const assignments = this.assignments(patch);
    if (assignments.length > 0) {
      const params: unknown[] = [];
      const set = assignments.map((assignment) => `${assignment.column} = ${this.bind(params, assignment.value)}`);
      const where = `${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))}`;
      await this.source.query(`UPDATE ${this.table} SET ${set.join(', ')} WHERE ${where}`, params);
    }
    return this.get(patch[this.key] !== undefined ? patch[this.key] : key);
  }

  /**
   * The columns a write sets, each value converted, before anything is sent: a field or custom
   * field key the mapping lacks is UnmappedFieldError, a custom field value its column cannot hold
   * UnstorableValueError naming `customFields.<key>`.
   */
  private assignments(record: MappedRecord): Assignment[] {
    const assignments: Assignment[] = [];
    for (const [field, value] of Object.entries(record)) {
      if (value === undefined) continue;
      if (field !== CUSTOM_FIELDS) {
        assignments.push({ column: this.column(field), value: this.encode(field, value) });
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new UnstorableValueError('must be an object of custom field values', CUSTOM_FIELDS);
      for (const [customKey, customValue] of Object.entries(value as Record<string, unknown>)) {
        if (customValue === undefined) continue;
        const column = this.customColumn(customKey);
        try {
          assignments.push({ column: this.quoted(column.name), value: customFieldToSource(column, customValue) });
        } catch (error) {
          if (error instanceof UnstorableValueError && error.field === undefined) throw error.naming(customFieldName(customKey));
          throw error;
        }
      }
    }
    return assignments;
  }

  /** Applies a counter change in one conditional statement (see CounterChange); null when the record is missing or refused it. */
  async increment(key: unknown, change: CounterChange): Promise<MappedRecord | null> {
    if (!this.keyFits(key)) return null;
    const params: unknown[] = [];
    const { unless } = change;
    const statement = counterChangeStatement(
      {
        table: this.table,
        keyColumn: this.column(this.key),
        key: this.encode(this.key, key),
        counterColumn: this.column(change.field),
        delta: change.delta,
        floor: change.floor,
        following: (change.following ?? []).map((follower) => ({
          column: this.column(follower.field),
          cases: follower.cases.map(({ when, value }) => ({ when, value: this.encode(follower.field, value) })),
        })),
        unless: unless && (() => this.condition({ field: unless.field, op: '=', value: unless.value }, params)),
      },
      (value) => this.bind(params, value),
    );
    const written = [change.field, ...(change.following ?? []).map((follower) => follower.field)];
    const { affected } = await this.refusalsNamed(() => this.source.execute(statement, params), written);
    return affected > 0 ? this.get(key) : null;
  }

  /**
   * The database's clock as the field's column reads: a date, a time with its offset (timestamptz), or the session's
   * local time (a column without a zone, MySQL's DATETIME and TIMESTAMP), as text like the column's sort values.
   */
  async currentTime(field: string): Promise<unknown> {
    const column = this.introspected(this.mapping.fields[field]);
    const now =
      column?.type === 'date'
        ? 'CURRENT_DATE'
        : this.source.dialect === 'mysql'
          ? 'NOW(6)'
          : column?.rawType === 'timestamptz'
            ? 'now()'
            : 'LOCALTIMESTAMP';
    const [row] = await this.source.query(`SELECT ${this.source.dialect === 'postgres' ? `${now}::text` : now} AS ${this.alias('now')}`);
    return row.now;
  }

  async countUpTo(limit: number): Promise<number> {
    const bounded = Math.max(0, Math.trunc(limit));
    const [row] = await this.source.query(
      `SELECT count(*) AS ${this.alias('n')} FROM (SELECT 1 AS one FROM ${this.table} LIMIT ${bounded}) counted`,
    );
    return Number(row.n);
  }

  async delete(key: unknown): Promise<string | null> {
    const stored = await this.get(key);
    if (!stored) return null;
    const params: unknown[] = [];
    await this.refusalsNamed(() =>
      this.source.query(
        `DELETE FROM ${this.table} WHERE ${this.column(this.key)} = ${this.bind(params, this.encode(this.key, key))}`,
        params,
      ),
    );
    return String(stored[this.key]);
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
            : this.fieldOfColumn(column);
      // A column of the table that no field is mapped to: its own name says what the mapping lacks.
      const unmapped = field === undefined && error.column !== undefined ? this.introspected(error.column)?.name : undefined;
      throw unmapped === undefined ? error.naming(field) : error.namingUnmapped(unmapped);
    }
  }

  /** Our field or custom field (`customFields.<key>`) a column (named in lower case) is mapped to. */
  private fieldOfColumn(column: string): string | undefined {
    const field = Object.keys(this.mapping.fields).find((candidate) => this.mapping.fields[candidate].toLowerCase() === column);
    if (field !== undefined) return field;
    const customKey = this.customKeys.find((candidate) => this.mapping.customFields![candidate].toLowerCase() === column);
    return customKey === undefined ? undefined : customFieldName(customKey);
  }

  /** A key the key column could not hold (text for an integer key) names no record: not a database error. */
  private keyFits(key: unknown): boolean {
    const column = this.introspected(this.mapping.fields[this.key]);
    const text = String(key);
    // Any whole number a BIGINT holds (snowflake keys run to 19 digits), checked as a BigInt: a Number would round it.
    if (column?.type === 'integer') return /^-?\d{1,19}$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n;
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

  /** Custom field columns are aliased by position: their keys come from the tenant, not from code. */
  private selectList(): string {
    const fields = Object.keys(this.mapping.fields).map((field) => `${this.column(field)} AS ${this.alias(field)}`);
    const custom = this.customKeys.map((key, index) => `${this.quoted(this.customColumn(key).name)} AS ${this.alias(`__custom${index}`)}`);
    return [...fields, ...custom].join(', ');
  }

  private fromRow(row: Record<string, unknown>): MappedRecord {
    const record: MappedRecord = Object.fromEntries(
      Object.keys(this.mapping.fields).map((field) => [field, this.decode(field, this.unpadded(field, row[field]))]),
    );
    if (this.customKeys.length > 0)
      record[CUSTOM_FIELDS] = Object.fromEntries(
        this.customKeys.map((key, index) => [key, customFieldFromSource(this.customColumn(key), row[`__custom${index}`])]),
      );
    return record;
  }

  /** A char(n) value without the padding PostgreSQL adds (a key `S-1` comes back as `S-1` followed by spaces otherwise). */
  private unpadded(field: string, value: unknown): unknown {
    return typeof value === 'string' && this.padded.has(field) ? value.replace(/ +$/, '') : value;
  }

  /**
   * The sort column as its value is carried in a cursor. PostgreSQL timestamps hold microseconds,
   * which a JavaScript Date drops: read as text, the next page starts exactly after the last row.
   */
  private sortValue(field: string, sort: string): string {
    const type = this.introspected(this.mapping.fields[field])?.type;
    return this.source.dialect === 'postgres' && type === 'timestamp' ? `${sort}::text` : sort;
  }

  private encode(field: string, value: unknown): unknown {
    return this.translation.toSource(field, value);
  }

  private decode(field: string, value: unknown): unknown {
    return this.translation.fromSource(field, value);
  }

  /** Our field's column, quoted; a field the mapping leaves out cannot reach SQL. */
  private column(field: string): string {
    if (!Object.hasOwn(this.mapping.fields, field)) throw new UnmappedFieldError(field);
    return this.quoted(this.mapping.fields[field]);
  }

  /** A custom field's introspected column; a key the mapping does not declare is refused like an unmapped field. */
  private customColumn(key: string): IntrospectedColumn {
    const customFields = this.mapping.customFields ?? {};
    const column = Object.hasOwn(customFields, key) ? this.introspected(customFields[key]) : undefined;
    if (!column) throw new UnmappedFieldError(customFieldName(key));
    return column;
  }

  private introspected(columnName: string): IntrospectedColumn | undefined {
    return this.introspection.tables
      .find((table) => table.name === this.mapping.table)
      ?.columns.find((candidate) => candidate.name === columnName);
  }

  private quoted(column: string): string {
    return introspectedIdentifier(this.source.dialect, this.introspection, this.mapping.table, column);
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
