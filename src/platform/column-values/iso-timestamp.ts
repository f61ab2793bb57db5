/**
 * SQL that renders a timestamptz as JavaScript's `toISOString()` does (UTC, milliseconds, `Z`),
 * for statements that return rows ready to serialize. Parsing a timestamp into a Date and
 * serializing the Date again costs Node more than it costs PostgreSQL to format it
 * (BENCHMARKS.md, bench:crm).
 */
export function isoTimestamp(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
