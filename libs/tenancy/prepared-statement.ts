import { createHash } from 'node:crypto';
import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { releaseQueryRunner } from './query-runner-release';
import { SessionSettings } from './session-settings';
import { soundQueryRunner } from './sound-connections';
import { TenantBoundQuery } from './tenant-bound-query';

/**
 * Runs `text` as a named, server-side prepared statement on a connection of `dataSource`:
 * PostgreSQL parses and plans it once per connection instead of on every call (on the contact
 * list, parse and plan were a large part of PostgreSQL's CPU: BENCHMARKS.md, bench:crm). The name
 * is derived from the text, so two texts never share a name. With `bindTenant`, the tenant is bound for this
 * statement alone, in the same round trip (TenantBoundQuery). Errors are TypeORM's
 * `QueryFailedError`, as from `manager.query()`, so they are translated the same way.
 *
 * PostgreSQL re-plans a prepared statement itself when a migration changes a table it reads; a
 * statement must not select `*`, or a new column would change its result type under it.
 *
 * With `named: false` (a database behind a transaction pooler, where the next use of this client
 * may reach a server connection that never saw the statement, or one where another client already
 * prepared that name) the statement is sent unnamed: parsed and planned on every call, still one
 * round trip.
 */
export async function queryPrepared<Row>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
  options: PreparedQueryOptions = {},
): Promise<Row[]> {
  const runner = await soundQueryRunner(dataSource);
  const config: QueryConfig = options.named === false ? { text, values } : { name: statementName(text), text, values };
  let failure: unknown;
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = options.bindTenant
      ? await boundToTenant(client, options.bindTenant, options.settings ?? {}, config)
      : await client.query(config);
    return result.rows as Row[];
  } catch (error) {
    failure = error;
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    await releaseQueryRunner(runner, failure);
  }
}

export interface PreparedQueryOptions {
  /** Binds this tenant for the statement alone. */
  bindTenant?: string;
  /** Settings for the statement alone, with the tenant (only with `bindTenant`). */
  settings?: SessionSettings;
  /** false: send the statement unnamed (default true). */
  named?: boolean;
}

function boundToTenant(client: PoolClient, tenantId: string, settings: SessionSettings, config: QueryConfig): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    client.query(
      new TenantBoundQuery(tenantId, settings, config, (error, results) => (error ? reject(error) : resolve(results[results.length - 1]))),
    );
  });
}

function statementName(text: string): string {
  return `tenantry_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}
