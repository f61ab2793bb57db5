import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { PoolClient } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';

const statementNames = new LRUCache<string, string>({ max: 1000 });

/**
 * Runs `text` as a named, server-side prepared statement on the manager's connection (its
 * transaction's, or one borrowed from the pool for this call): PostgreSQL parses and plans it once
 * per connection instead of on every call, which was about a third of PostgreSQL's CPU on the
 * contact list in bench:crm. The name is derived from the text, so two texts never share a name
 * and each connection prepares a text once. Errors are TypeORM's `QueryFailedError`, as from
 * `manager.query()`, so they are translated the same way.
 *
 * PostgreSQL re-plans a prepared statement itself when a migration changes a table it reads; a
 * statement must not select `*`, or a new column would change its result type under it.
 */
export async function queryPrepared<Row>(manager: EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  const ownRunner = manager.queryRunner ? undefined : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? ownRunner!;
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = await client.query({ name: statementName(text), text, values });
    return result.rows as Row[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    await ownRunner?.release();
  }
}

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `tenantry_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}
