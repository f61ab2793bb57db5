import { DataSourceSettings } from './connection-settings';
import { introspectedIdentifier } from './identifiers';
import { Introspection } from './introspection';
import { ValueSampler } from './mapping-suggestions';
import { NetworkPolicy, resolveAllowedAddress } from './network-guard';
import { SqlSource } from './sql-source';

/** More distinct values than this is not a fixed set a value map could list. */
export const MAX_SAMPLED_DISTINCT_VALUES = 20;
/** Rows read at most to find them: a large table is never scanned. */
export const MAX_SAMPLED_ROWS = 1_000;

export interface SamplingOptions extends NetworkPolicy {
  /** Bounds the connection and every statement. */
  connectTimeoutMs: number;
  breakerResetMs: number;
}

/**
 * Runs `work` with a sampler of the source's distinct column values (over one connection behind
 * the network guard, the test's timeouts, and bounded reads), closed afterwards. A REST source
 * has no catalog to sample, so its sampler finds nothing.
 */
export async function withValueSampler<T>(
  settings: DataSourceSettings,
  introspection: Introspection,
  options: SamplingOptions,
  work: (sample: ValueSampler) => Promise<T>,
): Promise<T> {
  if (settings.kind === 'rest') return work(async () => null);
  const { address } = await resolveAllowedAddress(settings.connection.host, options);
  const source = new SqlSource(settings.kind, settings.connection, {
    address,
    connectTimeoutMs: options.connectTimeoutMs,
    queryTimeoutMs: options.connectTimeoutMs,
    poolSize: 1,
    breakerResetMs: options.breakerResetMs,
  });
  try {
    return await work((table, column) => distinctValues(source, introspection, table, column));
  } finally {
    await source.close();
  }
}

/** Up to MAX_SAMPLED_DISTINCT_VALUES distinct non-null values among the first MAX_SAMPLED_ROWS rows, as text, sorted; null when there are more. */
export async function distinctValues(
  source: SqlSource,
  introspection: Introspection,
  table: string,
  column: string,
): Promise<string[] | null> {
  const from = introspectedIdentifier(source.dialect, introspection, table);
  const value = introspectedIdentifier(source.dialect, introspection, table, column);
  const rows = await source.query(
    `SELECT DISTINCT sampled.v AS v FROM (SELECT ${value} AS v FROM ${from} WHERE ${value} IS NOT NULL LIMIT ${MAX_SAMPLED_ROWS}) sampled
      LIMIT ${MAX_SAMPLED_DISTINCT_VALUES + 1}`,
  );
  if (rows.length > MAX_SAMPLED_DISTINCT_VALUES) return null;
  return rows.map((row) => String(row.v)).sort();
}
