import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobWithMetadata } from 'pg-boss';
import { DataSource } from 'typeorm';
import { AttemptSupersededError, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { SourceSyncJob } from './source-sync-queue';
import { SOURCE_SYNC_RUN_FENCE } from './source-sync-run-fence';
import { SourceSyncer } from './source-syncer';

/**
 * Works one attempt of a sync run. The run row is the fence: an attempt claims it, and every page
 * it commits checks it still owns it, so an expired attempt still reading cannot commit after its
 * retry started. A failed attempt leaves the run `retrying` with the reason (pg-boss retries it with
 * exponential backoff); the last one leaves it `failed`.
 */
@Injectable()
export class SourceSyncAttempts {
  private readonly logger = new Logger(SourceSyncAttempts.name);

  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly syncer: SourceSyncer,
  ) {}

  async work(job: JobWithMetadata<SourceSyncJob>, signal: AbortSignal): Promise<void> {
    const { runId } = job.data;
    const attempt = await FencedAttempt.claim(this.dataSource, SOURCE_SYNC_RUN_FENCE, runId, signal);
    if (!attempt) return;
    try {
      const [run] = await attempt.transaction((manager) =>
        // Wrapped in a SELECT so the driver returns the rows alone (an UPDATE's result also carries its count).
        manager.query<Array<{ tenant_id: string; active: boolean }>>(
          `WITH started AS (
             UPDATE source_sync_runs SET status = 'running', attempts = attempts + 1, rows_seen = 0, started_at = coalesce(started_at, now())
              WHERE id = $1 RETURNING tenant_id
           )
           SELECT tenant_id, EXISTS (SELECT 1 FROM tenant_data_sources d WHERE d.tenant_id = started.tenant_id AND d.status = 'active') AS active
             FROM started`,
          [runId],
        ),
      );
      if (!run.active) {
        await this.end(attempt, 'failed', 'The data source is not active: activate it (or switch to a staged one) and sync again');
        return;
      }
      await this.syncer.sync(attempt, runId, run.tenant_id);
    } catch (error) {
      if (error instanceof AttemptSupersededError) {
        this.logger.warn(`Sync run ${runId}: attempt ${attempt.token} was superseded; it stops without writing`);
        return;
      }
      const reason = (error as Error).message;
      const last = job.retryCount >= job.retryLimit;
      await this.end(attempt, last ? 'failed' : 'retrying', reason).catch((recording: unknown) => {
        if (!(recording instanceof AttemptSupersededError)) throw recording;
      });
      if (!last) throw error;
    }
  }

  /** Records how the attempt ended, if it still owns the run; `failed` ends the run. */
  private end(attempt: FencedAttempt, status: 'failed' | 'retrying', reason: string): Promise<void> {
    return attempt.transaction(
      async (manager) => {
        if (status === 'failed')
          await FencedAttempt.end(manager, SOURCE_SYNC_RUN_FENCE, attempt.rowId, { status, error: reason, finished_at: new Date() });
        else await manager.query(`UPDATE source_sync_runs SET status = 'retrying', error = $2 WHERE id = $1`, [attempt.rowId, reason]);
      },
      { cancellable: false },
    );
  }
}
