import { Connection, Query, QueryConfig, QueryResult } from 'pg';
import { assertTenantId } from './tenant-transaction';

const BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)";

/** The part of pg's `Query` that writes a parameterized query's messages (not in pg's typings). */
interface PreparingQuery {
  prepare(connection: Connection): void;
}

/**
 * A parameterized statement with the tenant bound for it alone, in one round trip. pg writes a
 * parameterized query as Parse/Bind/Describe/Execute and one Sync; this query writes the binding
 * (`set_config(…, true)`) the same way in front of it, before that Sync. PostgreSQL runs every
 * statement up to a Sync in one implicit transaction and ends it at the Sync, so the binding ends
 * with the statement, as with `inTenantTransaction`, without START TRANSACTION and COMMIT round
 * trips. The result holds both statements' results; the statement's is the last.
 */
export class TenantBoundQuery extends Query {
  constructor(
    private readonly tenantId: string,
    config: QueryConfig,
    callback: (error: Error | undefined, results: QueryResult[]) => void,
  ) {
    assertTenantId(tenantId);
    // pg calls back with every statement's result when a query holds more than one statement.
    super(config, undefined, callback as unknown as (error: Error | undefined, result: QueryResult) => void);
  }

  prepare(connection: Connection): void {
    connection.parse({ text: BIND_TENANT, name: '', types: [] }, true);
    connection.bind({ portal: '', statement: '', values: [this.tenantId] }, true);
    connection.describe({ type: 'P', name: '' }, true);
    connection.execute({ portal: '' }, true);
    (Query.prototype as unknown as PreparingQuery).prepare.call(this, connection);
  }
}
