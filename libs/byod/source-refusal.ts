import { SourceDataError } from './data-source-error';

/**
 * Why a customer's system refused a write for its data: `conflict` with the data it already holds
 * (a duplicate, a reference to a missing record, one still referenced), or `invalid`, a value the
 * column or field cannot hold (outside an ENUM, too long, of the wrong type, NULL, failing a CHECK).
 */
export type RefusalKind = 'conflict' | 'invalid';

/**
 * A write the customer's system refused for its data: the request's fault, never the source's.
 * `column` is the source's name of the column or property at fault when the driver names it;
 * `field` our field mapped to it, once a mapped collection has translated it. The message is the
 * driver's (secrets scrubbed) and is not meant for clients: it may quote SQL or values.
 */
export class SourceRefusedValueError extends SourceDataError {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly column?: string,
    readonly field?: string,
    /** A column of the mapped table that the mapping leaves out (one NOT NULL without a default, say), by its name. */
    readonly unmappedColumn?: string,
  ) {
    super(message);
    this.name = 'SourceRefusedValueError';
  }

  /** The same refusal with its column named as our field (undefined when the column is not mapped). */
  naming(field: string | undefined): SourceRefusedValueError {
    return new SourceRefusedValueError(this.kind, this.message, this.column, field);
  }

  /** The same refusal blamed on a column of the table that no field is mapped to: the mapping's gap, not a value sent. */
  namingUnmapped(column: string): SourceRefusedValueError {
    return new SourceRefusedValueError(this.kind, this.message, this.column, undefined, column);
  }
}

/** MySQL/MariaDB error numbers of a data refusal, by kind. */
const MYSQL_REFUSALS: ReadonlyMap<number, RefusalKind> = new Map([
  [1644, 'invalid'], // SIGNAL from the customer's trigger or procedure (SQLSTATE 45000)
  [1265, 'invalid'], // data truncated (a value outside an ENUM/SET)
  [1264, 'invalid'], // out of range for the column (a DECIMAL's precision, an integer's size)
  [1292, 'invalid'], // incorrect date/time/number value
  [1366, 'invalid'], // incorrect value for the column's type
  [1406, 'invalid'], // data too long
  [1048, 'invalid'], // column cannot be NULL
  [1364, 'invalid'], // a NOT NULL column without a default was given no value (strict mode)
  [3819, 'invalid'], // CHECK constraint (MySQL)
  [4025, 'invalid'], // CHECK constraint (MariaDB)
  [1062, 'conflict'], // duplicate entry
  [1451, 'conflict'], // row still referenced by a foreign key
  [1452, 'conflict'], // foreign key references no row
]);

/**
 * PostgreSQL SQLSTATEs of class 23 that are conflicts with existing data; the rest of 22 and 23 are invalid values, as
 * are class P0's (a RAISE EXCEPTION or ASSERT of the customer's trigger refusing what was written).
 */
const PG_CONFLICTS = new Set(['23503', '23505', '23P01']);

/**
 * The refusal a driver error stands for, with the column it names; undefined for every other
 * error (unreachable, lost connection, timeout, permissions, syntax), which are the source's own.
 */
export function sqlRefusalOf(error: unknown): { kind: RefusalKind; column?: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { errno, sqlState, code, column, detail } = error as {
    errno?: unknown;
    sqlState?: unknown;
    code?: unknown;
    column?: unknown;
    detail?: unknown;
  };
  if (typeof errno === 'number' && typeof sqlState === 'string') {
    const kind = MYSQL_REFUSALS.get(errno);
    return kind ? { kind, column: mysqlColumnOf(error.message) } : undefined;
  }
  if (typeof code === 'string' && /^(22|23|P0)[0-9A-Z]{3}$/.test(code)) {
    const named = typeof column === 'string' ? column : typeof detail === 'string' ? /^Key \(([^,)]+)\)=/.exec(detail)?.[1] : undefined;
    return { kind: PG_CONFLICTS.has(code) ? 'conflict' : 'invalid', column: named?.replace(/^"|"$/g, '') };
  }
  return undefined;
}

/**
 * The column a MySQL/MariaDB refusal names: "for column 'c'", "for column `db`.`t`.`c`",
 * "Column 'c' cannot be null", "Field 'c' doesn't have a default value", "for key 't.c'", "FOREIGN KEY (`c`)", "CONSTRAINT `c` failed".
 * A key or constraint name is only a guess at the column: it is used when it matches a mapped one.
 */
function mysqlColumnOf(message: string): string | undefined {
  const patterns = [
    /for column (?:`[^`]*`\.)*[`']([^`']+)[`']/,
    /^Column '([^']+)' cannot be null/,
    /^Field '([^']+)' doesn't have a default value/,
    /for key '(?:[^'.]*\.)?([^'.]+)'/,
    /FOREIGN KEY \(`([^`]+)`\)/,
    /CONSTRAINT `(?:[^`.]*\.)?([^`.]+)` failed/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(message);
    if (match) return match[1];
  }
  return undefined;
}
