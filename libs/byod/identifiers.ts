import { SqlDialect } from './connection-settings';
import { Introspection } from './introspection';

/** Quotes one identifier for its dialect, doubling the quote character inside it. */
export function quoteIdentifier(dialect: SqlDialect, name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new Error('An identifier must be non-empty and free of NUL characters');
  return dialect === 'postgres' ? `"${name.replaceAll('"', '""')}"` : `\`${name.replaceAll('`', '``')}\``;
}

/**
 * The quoted identifier of a table (or one of its columns) only if introspection found it:
 * names never reach SQL from user input, only from what the customer's database reported.
 */
export function introspectedIdentifier(dialect: SqlDialect, introspection: Introspection, table: string, column?: string): string {
  const found = introspection.tables.find((candidate) => candidate.name === table);
  if (!found) throw new Error(`Table ${JSON.stringify(table)} was not introspected`);
  if (column === undefined) return quoteIdentifier(dialect, found.name);
  const foundColumn = found.columns.find((candidate) => candidate.name === column);
  if (!foundColumn) throw new Error(`Column ${JSON.stringify(column)} of ${JSON.stringify(table)} was not introspected`);
  return quoteIdentifier(dialect, foundColumn.name);
}
