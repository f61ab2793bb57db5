import { DataSourceSettings } from './connection-settings';
import { Introspection } from './introspection';
import { introspectMysql } from './mysql-introspector';
import { NetworkPolicy, resolveAllowedAddress } from './network-guard';
import { introspectPostgres } from './postgres-introspector';
import { checkRestSource, RestCheckResult } from './rest-source-check';

export interface SourceTestOptions extends NetworkPolicy {
  connectTimeoutMs: number;
  maxResponseBytes: number;
}

export interface SourceTestResult {
  introspection: Introspection;
  /** REST sources: what the base URL answered (they have no catalog to introspect). */
  endpoint?: RestCheckResult;
}

/**
 * Connects to a customer source with short timeouts and reports what is there. Database hosts
 * pass the same network guard as REST URLs: a tenant's settings must not reach into our network.
 */
export async function testSource(settings: DataSourceSettings, options: SourceTestOptions): Promise<SourceTestResult> {
  const timeouts = { connectTimeoutMs: options.connectTimeoutMs, statementTimeoutMs: options.connectTimeoutMs };
  switch (settings.kind) {
    case 'postgres': {
      const { address } = await resolveAllowedAddress(settings.connection.host, options);
      return { introspection: await introspectPostgres(settings.connection, address, timeouts) };
    }
    case 'mysql': {
      const { address } = await resolveAllowedAddress(settings.connection.host, options);
      return { introspection: await introspectMysql(settings.connection, address, timeouts) };
    }
    case 'rest': {
      const endpoint = await checkRestSource(settings.connection, { ...options, timeoutMs: options.connectTimeoutMs });
      return { introspection: { kind: 'rest', tables: [] }, endpoint };
    }
  }
}
