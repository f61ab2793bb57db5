import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AuditService } from '../audit/audit.service';

/** A running run's claim on itself: aborted once it is no longer `running` (declared dead meanwhile). */
export interface RunHeartbeat {
  signal: AbortSignal;
  stop(): void;
}

const STALE_REASON = 'its runner stopped sending heartbeats (killed, or cut off from the control plane)';

/**
 * Tells live fleet runs from dead ones. A runner renews its run's `heartbeat_at` every few seconds;
 * a `running` run whose heartbeat is older than the staleness is marked `interrupted`, by the next
 * run before it starts and periodically by every queue worker, so no run stays `running` forever.
 * Times are the control-plane database's `now()`, so clocks of runner hosts do not matter.
 */
@Injectable()
export class FleetRunLiveness implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FleetRunLiveness.name);
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('queue.worker', { infer: true })) return;
    const { heartbeatMs } = this.config.get('fleet', { infer: true });
    const sweep = () => this.markStale().catch((error) => this.logger.warn(`Checking fleet run heartbeats failed: ${messageOf(error)}`));
    this.sweepTimer = setInterval(() => void sweep(), heartbeatMs);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** Marks every run whose runner is gone `interrupted`; returns their ids. */
  async markStale(): Promise<string[]> {
    const { staleAfterSeconds } = this.config.get('fleet', { infer: true });
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [Array<{ id: string }>] = await manager.query(
        `UPDATE fleet_migration_runs SET status = 'interrupted', finished_at = now(), error = $2
          WHERE status = 'running' AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => $1)
          RETURNING id`,
        [staleAfterSeconds, STALE_REASON],
      );
      for (const { id } of rows) {
        const event = {
          action: 'fleet_migration.interrupt',
          targetType: 'fleet_migration',
          targetId: id,
          actorUserId: null,
          changes: { reason: STALE_REASON },
        };
        await this.audit.record(manager, event);
        this.logger.warn(`Fleet migration ${id} marked interrupted: ${STALE_REASON}`);
      }
      return rows.map((row) => row.id);
    });
  }

  /**
   * Renews the run's heartbeat until stopped. The renewal only counts while the run is still
   * `running`: a run declared dead meanwhile (a stall longer than the staleness) is not revived;
   * its signal aborts so it starts no further database.
   */
  keepAlive(runId: string): RunHeartbeat {
    const lost = new AbortController();
    let beating = false;
    const beat = async () => {
      if (beating) return;
      beating = true;
      try {
        const [rows] = await this.dataSource.query<[unknown[], number]>(
          `UPDATE fleet_migration_runs SET heartbeat_at = now() WHERE id = $1 AND status = 'running' RETURNING id`,
          [runId],
        );
        if (rows.length === 0 && !lost.signal.aborted) {
          this.logger.warn(`Fleet migration ${runId} was declared interrupted while running; it starts no further database`);
          lost.abort();
        }
      } catch (error) {
        // A missed beat is tolerated: staleness spans several of them.
        this.logger.warn(`Fleet migration ${runId} heartbeat failed: ${messageOf(error)}`);
      } finally {
        beating = false;
      }
    };
    const timer = setInterval(() => void beat(), this.config.get('fleet', { infer: true }).heartbeatMs);
    timer.unref();
    return { signal: lost.signal, stop: () => clearInterval(timer) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
