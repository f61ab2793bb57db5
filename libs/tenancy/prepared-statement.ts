import { createHash } from 'node:crypto';
import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { releaseQueryRunner } from './query-runner-release';
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
 */
export async function queryPrepared<Row>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
  options: { bindTenant?: string } = {},
): Promise<Row[]> {
  const runner = await soundQueryRunner(dataSource);
  const config: QueryConfig = { name: statementName(text), text, values };
  let failure: unknown;
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = options.bindTenant ? await boundToTenant(client, options.bindTenant, config) : await client.query(config);
    return result.rows as Row[];
  } catch (error) {
    failure = error;
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    await releaseQueryRunner(runner, failure);
  }
}

function boundToTenant(client: PoolClient, tenantId: string, config: QueryConfig): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    client.query(
      new TenantBoundQuery(tenantId, config, (error, results) => (error ? reject(error) : resolve(results[results.length - 1]))),
    );
  });
}

function statementName(text: string): string {
  return `tenantry_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}
