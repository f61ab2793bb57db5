import { ColumnType } from './introspection';

// Maps: the names come from the customer's database, so only our own entries may answer.
const POSTGRES_TYPES = new Map<string, ColumnType>(
  Object.entries({
    text: 'text',
    'character varying': 'text',
    character: 'text',
    citext: 'text',
    name: 'text',
    smallint: 'integer',
    integer: 'integer',
    bigint: 'integer',
    numeric: 'decimal',
    boolean: 'boolean',
    'timestamp without time zone': 'timestamp',
    'timestamp with time zone': 'timestamp',
    date: 'date',
    uuid: 'uuid',
    json: 'json',
    jsonb: 'json',
  }),
);

const MYSQL_TYPES = new Map<string, ColumnType>(
  Object.entries({
    char: 'text',
    varchar: 'text',
    tinytext: 'text',
    text: 'text',
    mediumtext: 'text',
    longtext: 'text',
    enum: 'text',
    set: 'text',
    tinyint: 'integer',
    smallint: 'integer',
    mediumint: 'integer',
    int: 'integer',
    integer: 'integer',
    bigint: 'integer',
    decimal: 'decimal',
    numeric: 'decimal',
    datetime: 'timestamp',
    timestamp: 'timestamp',
    date: 'date',
    uuid: 'uuid',
    json: 'json',
  }),
);

/**
 * Binary floating point (real, double, float) stays `other` on purpose: money and quantities
 * must never round-trip through floats, so such columns are not offered for numeric fields.
 */
export function postgresColumnType(dataType: string, udtName: string, isEnum = false): ColumnType {
  // An enum type holds text labels: a text field can be mapped onto it (its labels bound the values).
  if (dataType === 'USER-DEFINED' && (udtName === 'citext' || isEnum)) return 'text';
  return POSTGRES_TYPES.get(dataType.toLowerCase()) ?? 'other';
}

/** `columnType` is MySQL's full type (`tinyint(1)`), which tells booleans from small integers. */
export function mysqlColumnType(dataType: string, columnType: string): ColumnType {
  const full = columnType.toLowerCase();
  if (full.startsWith('tinyint(1)') || full === 'bit(1)') return 'boolean';
  return MYSQL_TYPES.get(dataType.toLowerCase()) ?? 'other';
}
