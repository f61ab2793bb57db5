/** One kind of connection a process may open on a server, and how many at most. */
export interface ConnectionUse {
  what: string;
  connections: number;
}

/** A PostgreSQL server as seen at start: what it allows and what each process may open on it. */
export interface ServerConnections {
  server: string;
  /** max_connections minus the slots reserved for superusers and pg_use_reserved_connections. */
  usable: number;
  maxConnections: number;
  perProcess: ConnectionUse[];
}

/**
 * The servers whose connection limit `processes` processes like this one could exceed together,
 * each described in one sentence that says what adds up and what to change. A tenant budget is
 * counted whole on every tenant server: the budget is per process, not per server, so all of it
 * may land on one server.
 */
export function connectionLimitProblems(servers: ServerConnections[], processes: number): string[] {
  const problems: string[] = [];
  for (const server of servers) {
    const perProcess = server.perProcess.reduce((sum, use) => sum + use.connections, 0);
    const needed = perProcess * processes;
    if (needed <= server.usable) continue;
    const parts = server.perProcess.map((use) => `${use.what} ${use.connections}`).join(' + ');
    problems.push(
      `${server.server}: ${processes} process(es) × ${perProcess} connections (${parts}) = ${needed}, more than the ${server.usable} ` +
        `its max_connections (${server.maxConnections}) leaves after reserved slots; lower DATABASE_POOL_SIZE or TENANT_CONNECTION_BUDGET, ` +
        'or raise max_connections (APP_PROCESSES says how many processes share the servers)',
    );
  }
  return problems;
}
