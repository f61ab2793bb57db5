import { Connection, Query, QueryConfig, QueryResult } from 'pg';
import { SessionSettings, transactionLocalSettings } from './session-settings';
import { assertTenantId } from './tenant-transaction';

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
 * trips. Any `settings` are set the same way, in the binding's SELECT. The result holds both
 * statements' results; the statement's is the last. Both statements are unnamed unless `config`
 * names its own, and all of it is one implicit transaction, so a transaction pooler keeps it on
 * one server connection.
 */
export class TenantBoundQuery extends Query {
  private readonly binding: string;

  constructor(
    private readonly tenantId: string,
    settings: SessionSettings,
    config: QueryConfig,
    callback: (error: Error | undefined, results: QueryResult[]) => void,
  ) {
    assertTenantId(tenantId);
    // pg calls back with every statement's result when a query holds more than one statement.
    super(config, undefined, callback as unknown as (error: Error | undefined, result: QueryResult) => void);
    this.binding = `SELECT set_config('app.tenant_id', $1, true)${transactionLocalSettings(settings)}`;
  }

  prepare(connection: Connection): void {
    connection.parse({ text: this.binding, name: '', types: [] }, true);
    connection.bind({ portal: '', statement: '', values: [this.tenantId] }, true);
    connection.describe({ type: 'P', name: '' }, true);
    connection.execute({ portal: '' }, true);
    (Query.prototype as unknown as PreparingQuery).prepare.call(this, connection);
  }
}
