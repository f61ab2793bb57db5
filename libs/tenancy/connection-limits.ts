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
  /** Connections of all processes together, counted once (a server's declared budget, split across them). */
  shared?: ConnectionUse[];
}

/**
 * The servers whose connection limit `processes` processes like this one could exceed together,
 * each described in one sentence that says what adds up and what to change. Without a declared
 * budget, a tenant budget is counted whole on every tenant server: it is per process, not per
 * server, so all of it may land on one server; with one, the caller passes the split as `shared`.
 */
export function connectionLimitProblems(servers: ServerConnections[], processes: number): string[] {
  const problems: string[] = [];
  for (const server of servers) {
    const perProcess = server.perProcess.reduce((sum, use) => sum + use.connections, 0);
    const shared = server.shared ?? [];
    const needed = perProcess * processes + shared.reduce((sum, use) => sum + use.connections, 0);
    if (needed <= server.usable) continue;
    const parts = server.perProcess.map((use) => `${use.what} ${use.connections}`).join(' + ');
    const terms = [
      ...(server.perProcess.length > 0 ? [`${processes} process(es) × ${perProcess} connections (${parts})`] : []),
      ...shared.map((use) => `${use.what} ${use.connections}`),
    ];
    problems.push(
      `${server.server}: ${terms.join(' + ')} = ${needed}, more than the ${server.usable} ` +
        `its max_connections (${server.maxConnections}) leaves after reserved slots; lower DATABASE_POOL_SIZE, TENANT_CONNECTION_BUDGET ` +
        "or the server's connectionBudget, or raise max_connections (processes: the live ones registered in the control plane, " +
        'at least APP_PROCESSES)',
    );
  }
  return problems;
}
