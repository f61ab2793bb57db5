import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { connectionLimitProblems, ConnectionUse, ServerConnections } from '../../libs/tenancy/connection-limits';
import { AppConfig } from '../config/app-config';
import { DatabaseServersService } from '../control-plane/database-servers/database-servers.service';

/** pg-boss's pool in libs/queue (its default; the queue module sets no other) and the revocation feed's LISTEN connection. */
const QUEUE_CONNECTIONS = 4;
const LISTENER_CONNECTIONS = 1;

const LIMITS_QUERY = `SELECT current_setting('max_connections')::int AS "maxConnections",
  current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`;

/**
 * At start, adds up what APP_PROCESSES processes configured like this one may open on each server
 * (the control-plane server, and every registered tenant server) and compares it with the
 * server's max_connections. CONNECTION_LIMIT_CHECK=refuse stops the start, warn logs it.
 */
@Injectable()
export class ConnectionLimitsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectionLimitsCheck.name);

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly controlPlane: DataSource,
    private readonly servers: DatabaseServersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { processes, check } = this.config.get('connectionLimits', { infer: true });
    if (check === 'off') return;
    // A pooler in front (PgBouncer) does not answer current_setting(): then nothing can be checked here.
    const servers = await this.serverConnections().catch((error: unknown) => {
      this.logger.warn(`Could not read the servers' max_connections: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    const problems = connectionLimitProblems(servers, processes);
    if (problems.length === 0) return;
    const message = `The configured connections exceed a server's max_connections:\n  ${problems.join('\n  ')}`;
    if (check === 'refuse') throw new Error(`${message}\n(CONNECTION_LIMIT_CHECK=warn starts anyway)`);
    this.logger.warn(message);
  }

  private async serverConnections(): Promise<ServerConnections[]> {
    const controlPlaneUse: ConnectionUse[] = [
      {
        what: 'control-plane pool',
        connections: this.config.get('database.poolSize', { infer: true }),
      },
      { what: 'job workers pool', connections: this.config.get('database.workerPoolSize', { infer: true }) },
      { what: 'queue pool', connections: QUEUE_CONNECTIONS },
      { what: 'revocation listener', connections: LISTENER_CONNECTIONS },
    ];
    const tenantUse: ConnectionUse = {
      what: 'tenant connection budget',
      connections: this.config.get('tenancy.connectionBudget', { infer: true }),
    };
    const controlPlaneUrl = new URL(this.config.get('database.url', { infer: true }));
    const controlPlaneAddress = `${controlPlaneUrl.hostname}:${controlPlaneUrl.port || 5432}`;
    const [limits] = (await this.controlPlane.query(LIMITS_QUERY)) as Array<{
      maxConnections: number;
      reserved: number;
    }>;
    const result: ServerConnections[] = [
      {
        server: `control-plane server ${controlPlaneAddress}`,
        usable: limits.maxConnections - limits.reserved,
        maxConnections: limits.maxConnections,
        perProcess: controlPlaneUse,
      },
    ];
    const registered = (await this.controlPlane.query("SELECT id, name, host, port FROM database_servers WHERE status <> 'disabled'")) as Array<{
      id: string;
      name: string;
      host: string;
      port: number;
    }>;
    for (const server of registered) {
      if (`${server.host.replace(/^\[|\]$/g, '')}:${server.port}` === controlPlaneAddress) {
        result[0].perProcess = [...controlPlaneUse, tenantUse];
        result[0].server += ` (also tenant server "${server.name}")`;
        continue;
      }
      const serverLimits = await this.limitsOf(server.id).catch((error: unknown) => {
        this.logger.warn(`Could not read max_connections of tenant server "${server.name}": ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (!serverLimits) continue;
      result.push({
        server: `tenant server "${server.name}"`,
        usable: serverLimits.maxConnections - serverLimits.reserved,
        ...serverLimits,
        perProcess: [tenantUse],
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
