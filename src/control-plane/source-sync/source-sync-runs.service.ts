import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { cursorFields, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { Page } from '../../platform/pagination/cursor-pagination';
import { AuditService } from '../audit/audit.service';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { DataSourceRecords } from '../data-sources/data-source-records';
import { ListSourceSyncRunsQueryDto, SourceSyncRunDto } from './dto/source-sync-run.dto';
import { SourceSyncQueue } from './source-sync-queue';

interface RunRow {
  id: string;
  trigger: 'manual' | 'schedule';
  status: SourceSyncRunDto['status'];
  baseline: boolean;
  attempts: number;
  source_revision: number | null;
  rows_seen: number;
  created: number;
  updated: number;
  deleted: number;
  error: string | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const UNFINISHED = `status IN ('queued', 'running', 'retrying')`;
/** How long finished runs stay in the history: a source synced every 5 minutes adds 288 a day. */
const HISTORY_RETENTION_DAYS = 30;

/**
 * Sync runs: asked for now (manual) or by the schedule (autoSync), and their history. A source has
 * at most one unfinished run (a unique index): asking again while one is queued or running answers
 * that run, on every process, and so does the schedule.
 */
@Injectable()
export class SourceSyncRuns {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly background: DataSource,
    private readonly records: DataSourceRecords,
    private readonly queue: SourceSyncQueue,
    private readonly audit: AuditService,
  ) {}

  async syncNow(tenantId: string): Promise<SourceSyncRunDto> {
    const run = await this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      const { source } = await this.records.active(manager, tenantId);
      if (source.status !== 'active') throw new ConflictException('The data source is not active yet: only an active source is synced');
      const [inserted] = await manager.query<RunRow[]>(
        `INSERT INTO source_sync_runs (tenant_id, trigger, status) VALUES ($1, 'manual', 'queued')
         ON CONFLICT (tenant_id) WHERE ${UNFINISHED} DO NOTHING RETURNING *`,
        [tenantId],
      );
      if (!inserted) return null;
      await this.queue.enqueue(manager, { runId: inserted.id });
      await this.audit.record(manager, {
        action: 'data_source.sync',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { runId: inserted.id },
      });
      return inserted;
    });
    if (run) {
      this.queue.wake();
      return toDto(run);
    }
    // Another request's run is unfinished: it is this one's too (read after that request committed).
    const [unfinished] = await this.dataSource.query<RunRow[]>(`SELECT * FROM source_sync_runs WHERE tenant_id = $1 AND ${UNFINISHED}`, [
      tenantId,
    ]);
    if (unfinished) return toDto(unfinished);
    return this.syncNow(tenantId);
  }

  async history(tenantId: string, query: ListSourceSyncRunsQueryDto): Promise<Page<SourceSyncRunDto>> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const params: unknown[] = [tenantId, query.limit + 1];
    let after = '';
    if (query.cursor) {
      const [queuedAt, id] = decodeCursor(query.cursor, [cursorFields.timestamp, cursorFields.uuid]);
      params.push(queuedAt, id);
      after = `AND (queued_at, id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = await this.dataSource.query<RunRow[]>(
      `SELECT * FROM source_sync_runs WHERE tenant_id = $1 ${after} ORDER BY queued_at DESC, id DESC LIMIT $2`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDto),
      nextCursor: rows.length > query.limit ? encodeCursor([last.queued_at.toISOString(), last.id]) : null,
    };
  }

  /**
   * The schedule's job: a run of every active source whose autoSync is due, its next time moved on,
   * all in one transaction with their jobs. A source with an unfinished run gets no second one.
   * Finished runs older than the history's retention are removed on the way.
   */
  async enqueueDue(): Promise<void> {
    await this.background.query(
      `DELETE FROM source_sync_runs WHERE id IN (
         SELECT id FROM source_sync_runs WHERE finished_at < now() - make_interval(days => $1) LIMIT 10000)`,
      [HISTORY_RETENTION_DAYS],
    );
    const enqueued = await this.background.transaction(async (manager: EntityManager) => {
      const runs = await manager.query<Array<{ id: string }>>(
        `WITH due AS (
           SELECT s.tenant_id FROM source_syncs s
             JOIN tenant_data_sources d ON d.tenant_id = s.tenant_id AND d.status = 'active'
             JOIN tenants t ON t.id = s.tenant_id AND t.status = 'active' AND t.placement = 'byod'
            WHERE s.auto_sync AND s.next_run_at <= now()
            ORDER BY s.next_run_at LIMIT 1000
            FOR UPDATE OF s SKIP LOCKED
         ), moved AS (
           UPDATE source_syncs s SET next_run_at = now() + make_interval(mins => s.frequency_minutes)
             FROM due WHERE s.tenant_id = due.tenant_id RETURNING s.tenant_id
         )
         INSERT INTO source_sync_runs (tenant_id, trigger, status) SELECT tenant_id, 'schedule', 'queued' FROM moved
         ON CONFLICT (tenant_id) WHERE ${UNFINISHED} DO NOTHING RETURNING id`,
      );
      for (const run of runs) await this.queue.enqueue(manager, { runId: run.id });
      return runs.length;
    });
    if (enqueued > 0) this.queue.wake();
  }
}

function toDto(row: RunRow): SourceSyncRunDto {
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    baseline: row.baseline,
    attempts: row.attempts,
    sourceRevision: row.source_revision,
    rowsSeen: row.rows_seen,
    changes: { created: row.created, updated: row.updated, deleted: row.deleted },
    error: row.error,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
