import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';

/**
 * This process's row in `app_processes`, kept alive by `beat()`. A process whose heartbeat is
 * older than APP_PROCESS_STALE_MS is taken for dead (killed, or cut off from the control plane):
 * it is not counted, and the next beat of any process deletes its row.
 */
@Injectable()
export class AppProcessesService {
  /** This process's id in app_processes. */
  readonly id = randomUUID();
  private readonly staleSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    this.staleSeconds = config.get('appProcesses.staleMs', { infer: true }) / 1000;
  }

  /** Registers this process or refreshes its heartbeat, prunes dead ones; the live processes, this one included. */
  async beat(): Promise<number> {
    // Upsert: a process whose row was pruned while it was cut off registers again.
    await this.dataSource.query(
      `INSERT INTO app_processes (id, hostname, pid) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.id, hostname().slice(0, 255), process.pid],
    );
    // Pruning and counting in one statement: both judge staleness at the same instant, so no process is
    // left unpruned yet uncounted (two statements' now() differ, and a heartbeat can turn stale in between).
    const [row] = await this.dataSource.query<Array<{ others: number }>>(
      `WITH pruned AS (DELETE FROM app_processes WHERE heartbeat_at < now() - make_interval(secs => $2) RETURNING id)
       SELECT count(*)::int AS others FROM app_processes WHERE id <> $1 AND id NOT IN (SELECT id FROM pruned)`,
      [this.id, this.staleSeconds],
    );
    return row.others + 1;
  }

  /** Processes whose heartbeat is fresh, plus this one whether or not it registered yet. */
  async liveCount(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ others: number }>>(
      `SELECT count(*)::int AS others FROM app_processes WHERE id <> $1 AND heartbeat_at >= now() - make_interval(secs => $2)`,
      [this.id, this.staleSeconds],
    );
    return row.others + 1;
  }

  /** Removes this process's row, so the others' shares grow at their next heartbeat. */
  async deregister(): Promise<void> {
    await this.dataSource.query(`DELETE FROM app_processes WHERE id = $1`, [this.id]);
  }
}
