import { mysqlColumnType, postgresColumnType } from './column-types';

describe('column types', () => {
  it.each([
    ['character varying', 'varchar', 'text'],
    ['integer', 'int4', 'integer'],
    ['numeric', 'numeric', 'decimal'],
    ['timestamp with time zone', 'timestamptz', 'timestamp'],
    ['jsonb', 'jsonb', 'json'],
    ['USER-DEFINED', 'citext', 'text'],
    ['double precision', 'float8', 'other'],
  ])('postgres %s is %s', (dataType, udt, expected) => {
    expect(postgresColumnType(dataType, udt)).toBe(expected);
  });

  it.each([
    ['varchar', 'varchar(32)', 'text'],
    ['tinyint', 'tinyint(1)', 'boolean'],
    ['tinyint', 'tinyint(4)', 'integer'],
    ['decimal', 'decimal(12,2)', 'decimal'],
    ['datetime', 'datetime', 'timestamp'],
    ['double', 'double', 'other'],
  ])('mysql %s (%s) is %s', (dataType, columnType, expected) => {
    expect(mysqlColumnType(dataType, columnType)).toBe(expected);
  });
});
