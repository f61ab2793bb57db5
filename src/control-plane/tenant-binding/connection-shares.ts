import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { AppConfig } from '../../platform/config/app-config';
import { AppProcessesService } from '../app-processes/app-processes.service';

/** A server's declared budget and this process's share of it, as of the last heartbeat. */
export interface ServerShare {
  serverId: string;
  name: string;
  connectionBudget: number;
  share: number;
}

export interface ConnectionShareFigures {
  /** Live Tenantry processes (fresh heartbeat), this one included. */
  liveProcesses: number;
  lastHeartbeatAt: string | null;
  servers: ServerShare[];
}

/**
 * This process's share of a server's budget: an even split across the live processes, but never
 * below one pool's worth, or a tenant on that server could not be served at all (so with more
 * processes than the budget has pools, the processes together may exceed the budget).
 */
export function processShare(connectionBudget: number, liveProcesses: number, onePool: number): number {
  return Math.max(Math.floor(connectionBudget / Math.max(1, liveProcesses)), onePool);
}

/**
 * Registers this process in the control plane and, on every heartbeat, splits each server's
 * declared connection budget across the live processes and tells the DataSourceRegistry its share.
 * Deregisters on shutdown. A failed heartbeat keeps the last shares (and is logged).
 */
@Injectable()
export class ConnectionShares implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConnectionShares.name);
  private timer?: NodeJS.Timeout;
  /** The heartbeat in flight, awaited before deregistering: one finishing after the DELETE would register this process again. */
  private heartbeat?: Promise<void>;
  private stopped = false;
  private figures: ConnectionShareFigures = { liveProcesses: 1, lastHeartbeatAt: null, servers: [] };

  constructor(
    private readonly processes: AppProcessesService,
    private readonly registry: DataSourceRegistry,
    @InjectDataSource() private readonly controlPlane: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(
      () => {
        if (this.stopped || this.heartbeat) return;
        this.heartbeat = this.refresh()
          .catch((error: unknown) => {
            this.logger.warn(`Heartbeat failed, keeping the last shares: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => (this.heartbeat = undefined));
      },
      this.config.get('appProcesses.heartbeatMs', { infer: true }),
    );
    this.timer.unref();
  }

  /**
   * First thing on shutdown (the control-plane pool closes only at onApplicationShutdown), not after
   * the queue's workers stop: the others' shares grow at their next heartbeat.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.heartbeat;
    await this.processes.deregister().catch((error: unknown) => {
      this.logger.warn(`Could not deregister this process: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  current(): ConnectionShareFigures {
    return this.figures;
  }

  private async refresh(): Promise<void> {
    const liveProcesses = await this.processes.beat();
    const rows = await this.controlPlane.query<Array<{ id: string; name: string; connectionBudget: number }>>(
      'SELECT id, name, connection_budget AS "connectionBudget" FROM database_servers WHERE connection_budget IS NOT NULL ORDER BY name',
    );
    const tenancy = this.config.get('tenancy', { infer: true });
    const onePool = Math.max(tenancy.dedicatedPoolSize, tenancy.pooledPoolSize);
    const servers = rows.map(({ id, name, connectionBudget }) => ({
      serverId: id,
      name,
      connectionBudget,
      share: processShare(connectionBudget, liveProcesses, onePool),
    }));
    this.registry.setServerLimits(new Map(servers.map((server) => [server.serverId, server.share])));
    this.figures = { liveProcesses, lastHeartbeatAt: new Date().toISOString(), servers };
  }
}
