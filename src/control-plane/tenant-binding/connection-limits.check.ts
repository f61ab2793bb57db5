import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { connectionLimitProblems, ConnectionUse, ServerConnections } from '../../../libs/tenancy/connection-limits';
import { AppConfig } from '../../platform/config/app-config';
import { AppProcessesService } from '../app-processes/app-processes.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { processShare } from './connection-shares';

/** pg-boss's pool in libs/queue (its default; the queue module sets no other) and the revocation feed's LISTEN connection. */
const QUEUE_CONNECTIONS = 4;
const LISTENER_CONNECTIONS = 1;

const LIMITS_QUERY = `SELECT current_setting('max_connections')::int AS "maxConnections",
  current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`;

/**
 * At start, adds up what the processes configured like this one may open on each server (the
 * control-plane server, and every registered tenant server) and compares it with the server's
 * max_connections. The processes are the live ones registered in the control plane (this one
 * included), at least APP_PROCESSES. On a server with a declared connection budget, tenant
 * connections are that budget split across them (see ConnectionShares), else each process's
 * whole TENANT_CONNECTION_BUDGET. CONNECTION_LIMIT_CHECK=refuse stops the start, warn logs it.
 */
@Injectable()
export class ConnectionLimitsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectionLimitsCheck.name);

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly controlPlane: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly appProcesses: AppProcessesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { processes: declared, check } = this.config.get('connectionLimits', { infer: true });
    if (check === 'off') return;
    const live = await this.appProcesses.liveCount();
    const processes = Math.max(live, declared);
    this.logger.log(`Connection check: ${live} live process(es) (this one included), APP_PROCESSES=${declared}: counting ${processes}`);
    // A pooler in front (PgBouncer) does not answer current_setting(): then nothing can be checked here.
    const servers = await this.serverConnections(processes).catch((error: unknown) => {
      this.logger.warn(`Could not read the servers' max_connections: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    const problems = connectionLimitProblems(servers, processes);
    if (problems.length === 0) return;
    const heading = `The configured connections of ${processes} process(es) (${live} live) exceed a server's max_connections`;
    const message = `${heading}:\n  ${problems.join('\n  ')}`;
    if (check === 'refuse') throw new Error(`${message}\n(CONNECTION_LIMIT_CHECK=warn starts anyway)`);
    this.logger.warn(message);
  }

  private async serverConnections(processes: number): Promise<ServerConnections[]> {
    const controlPlaneUse: ConnectionUse[] = [
      {
        what: 'control-plane pool',
        connections: this.config.get('database.poolSize', { infer: true }),
      },
      { what: 'job workers pool', connections: this.config.get('database.workerPoolSize', { infer: true }) },
      { what: 'queue pool', connections: QUEUE_CONNECTIONS },
      { what: 'change feed listener', connections: LISTENER_CONNECTIONS },
    ];
    const tenancy = this.config.get('tenancy', { infer: true });
    const tenantUse: ConnectionUse = { what: 'tenant connection budget', connections: tenancy.connectionBudget };
    const onePool = Math.max(tenancy.dedicatedPoolSize, tenancy.pooledPoolSize);
    /** A server's tenant connections: its declared budget split across the processes (counted once), or each one's whole budget. */
    const tenantConnections = (budget: number | null): Pick<ServerConnections, 'perProcess' | 'shared'> => {
      if (budget === null) return { perProcess: [tenantUse] };
      const share = Math.min(processShare(budget, processes, onePool), tenancy.connectionBudget);
      const what = `tenant connections (connection budget ${budget} split across ${processes} process(es))`;
      return { perProcess: [], shared: [{ what, connections: share * processes }] };
    };
    const controlPlaneUrl = new URL(this.config.get('database.url', { infer: true }));
    const controlPlaneAddress = `${controlPlaneUrl.hostname}:${controlPlaneUrl.port || 5432}`;
    const [limits] = await this.controlPlane.query<Array<{ maxConnections: number; reserved: number }>>(LIMITS_QUERY);
    const result: ServerConnections[] = [
      {
        server: `control-plane server ${controlPlaneAddress}`,
        usable: limits.maxConnections - limits.reserved,
        maxConnections: limits.maxConnections,
        perProcess: controlPlaneUse,
      },
    ];
    const registered = await this.controlPlane.query<
      Array<{ id: string; name: string; host: string; port: number; connectionBudget: number | null }>
    >(`SELECT id, name, host, port, connection_budget AS "connectionBudget" FROM database_servers WHERE status <> 'disabled'`);
    for (const server of registered) {
      if (`${server.host.replace(/^\[|\]$/g, '')}:${server.port}` === controlPlaneAddress) {
        const tenant = tenantConnections(server.connectionBudget);
        result[0].perProcess = [...controlPlaneUse, ...tenant.perProcess];
        result[0].shared = tenant.shared;
        result[0].server += ` (also tenant server "${server.name}")`;
        continue;
      }
      const serverLimits = await this.limitsOf(server.id).catch((error: unknown) => {
        this.logger.warn(
          `Could not read max_connections of tenant server "${server.name}": ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      });
      if (!serverLimits) continue;
      result.push({
        server: `tenant server "${server.name}"`,
        usable: serverLimits.maxConnections - serverLimits.reserved,
        ...serverLimits,
        ...tenantConnections(server.connectionBudget),
      });
    }
    return result;
  }

  private async limitsOf(serverId: string): Promise<{ maxConnections: number; reserved: number }> {
    const connection = await this.servers.adminConnection(serverId);
    const client = new Client({
      ...connection,
      connectionTimeoutMillis: 3_000,
      application_name: 'tenantry-connection-check',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<{ maxConnections: number; reserved: number }>(LIMITS_QUERY)).rows[0];
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
