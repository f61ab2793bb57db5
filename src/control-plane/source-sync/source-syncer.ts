import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  collectionPages,
  Condition,
  DetectedChange,
  detectChanges,
  earlierSourceTime,
  FingerprintedRow,
  ListedRow,
  MappedCollection,
  rowFingerprint,
  sourceTimeMillis,
} from '../../../libs/byod';
import { FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { keyFieldOf } from '../../platform/tenant-modules/mappable-entities';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { DomainEventLog } from '../domain-events/domain-event-log';
import { OwnWrites } from './own-writes';
import { syncDeletionEvent, syncEvent } from './source-sync-events';
import { OpenSyncSource, SourceSyncReaders } from './source-sync-reader';
import { SOURCE_SYNC_RUN_FENCE } from './source-sync-run-fence';
import { SourceSyncState } from './source-sync-state';

/** The mapped field a watermark is kept on, where the tenant maps it. */
const UPDATED_AT = 'updated_at';
/**
 * How far before the watermark each run reads again: rows whose `updated_at` came from a clock a
 * little behind, or whose transaction committed after a later one, are not missed. Rows read again
 * unchanged match their fingerprint and raise nothing.
 */
const WATERMARK_OVERLAP_MS = 2 * 60_000;
const PAGE_SIZE = 500;
/** Earlier than any timestamp a source holds: selects the rows whose `updated_at` is set at all. */
const ANY_TIME = '1000-01-01';

/** The source's circuit breaker is open: the run is put off (retried later) without calling the source. */
export class SourceSyncDeferredError extends Error {
  constructor() {
    super("The tenant's source failed repeatedly and its circuit breaker is open: the run waits and is retried later");
    this.name = 'SourceSyncDeferredError';
  }
}

interface RunScope {
  runId: string;
  tenantId: string;
  attempt: FencedAttempt;
  /** When the last successful run started: the API's writes since may be among the changes found (OwnWrites). */
  lastRunStartedAt: Date;
}

interface EntityScope extends RunScope {
  entity: string;
  keyField: string;
  collection: MappedCollection;
}

/**
 * One attempt of a sync run: reads every mapped entity of the tenant's system in pages and records
 * what changed since the last run as domain events, each page in one fenced control-plane
 * transaction with the fingerprints and watermark it moved (a crash re-reads the pages not
 * committed; their events get the same ids). How a change is found:
 *
 * - first run, or first after the data source changed (its revision moved): a baseline only, every
 *   row fingerprinted and no event raised (the rows were not created now);
 * - an entity mapping `updated_at`: rows from the watermark (less an overlap) in (updated_at, key)
 *   order, compared with their fingerprints; deletions are looked for only when the source holds
 *   another number of rows than remembered, by a pass over every key;
 * - otherwise every row, in key order, compared with its fingerprint; keys not seen are deletions.
 *
 * Changes the API itself wrote since the last run already raised their events and are left out (OwnWrites).
 */
@Injectable()
export class SourceSyncer {
  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly readers: SourceSyncReaders,
    private readonly events: DomainEventLog,
  ) {}

  async sync(attempt: FencedAttempt, runId: string, tenantId: string): Promise<void> {
    const [state] = await this.dataSource.query<Array<{ baseline_revision: number | null }>>(
      `SELECT baseline_revision FROM source_syncs WHERE tenant_id = $1`,
      [tenantId],
    );
    await this.readers.current.read(tenantId, async (source) => {
      if (!source.available) throw new SourceSyncDeferredError();
      const baseline = state?.baseline_revision !== source.revision;
      await attempt.transaction(async (manager) => {
        if (baseline) await SourceSyncState.reset(manager, tenantId);
        await manager.query(`UPDATE source_sync_runs SET source_revision = $2, baseline = $3 WHERE id = $1`, [
          runId,
          source.revision,
          baseline,
        ]);
      });
      const run = { runId, tenantId, attempt, lastRunStartedAt: await this.lastRunStart(tenantId) };
      for (const { name, collection } of source.entities) {
        const scope = { ...run, entity: name, keyField: keyFieldOf(name), collection };
        if (baseline) await this.takeBaseline(scope);
        else if (collection.has(UPDATED_AT)) await this.syncByWatermark(scope);
        else await this.syncByFingerprints(scope);
      }
      await this.finish(run, source);
    });
  }

  private async takeBaseline(scope: EntityScope): Promise<void> {
    // Taken before the pass: a row changed while it runs is newer than this, and read by the next run.
    const watermark = scope.collection.has(UPDATED_AT) ? await this.latestUpdate(scope.collection) : null;
    await this.compare(scope, collectionPages(scope.collection, { sortField: scope.keyField, pageSize: PAGE_SIZE }), { raise: false });
    if (watermark !== null)
      await scope.attempt.transaction((manager) => SourceSyncState.setWatermark(manager, scope.tenantId, scope.entity, watermark));
  }

  private async syncByWatermark(scope: EntityScope): Promise<void> {
    const watermark = await SourceSyncState.watermark(this.dataSource.manager, scope.tenantId, scope.entity);
    const from = watermark === null ? null : earlierSourceTime(watermark, WATERMARK_OVERLAP_MS);
    if (from === null) {
      // No usable watermark: no row had a time when the last run looked (the column new, all NULL or zero dates, the
      // table empty), or the one kept is no time (a source that cannot tell its clock). Every row is compared, read in
      // key order (pages by a time column of NULLs would stop at the first), until one has a time.
      const latest = await this.latestUpdate(scope.collection);
      await this.syncByFingerprints(scope);
      if (latest !== null)
        await scope.attempt.transaction((manager) => SourceSyncState.setWatermark(manager, scope.tenantId, scope.entity, latest));
      return;
    }
    const conditions: Condition[] = [{ field: UPDATED_AT, op: '>=', value: from }];
    await this.compare(scope, collectionPages(scope.collection, { sortField: UPDATED_AT, conditions, pageSize: PAGE_SIZE }), {
      raise: true,
      advancesWatermarkUpTo: await scope.collection.currentTime(UPDATED_AT),
    });
    const remembered = await SourceSyncState.count(this.dataSource.manager, scope.tenantId, scope.entity);
    if ((await scope.collection.countUpTo(remembered + 1)) === remembered) return;
    // The counts differ: rows were deleted, or rows arrived stamped before the watermark (an import keeping its
    // times), which the pass above does not read. A pass over every row finds both: it remembers and announces the
    // latter, so the counts agree again, and what it did not see was deleted.
    await this.syncByFingerprints(scope);
  }

  private async syncByFingerprints(scope: EntityScope): Promise<void> {
    await this.compare(scope, collectionPages(scope.collection, { sortField: scope.keyField, pageSize: PAGE_SIZE }), { raise: true });
    await this.raiseDeletions(scope);
  }

  /** Compares each page with the fingerprints remembered, and remembers the page's, with its events in the same transaction. */
  private async compare(
    scope: EntityScope,
    pages: AsyncIterable<ListedRow[]>,
    /** advancesWatermarkUpTo: the page's last time moves the watermark, never past this (the source's clock). */
    options: { raise: boolean; advancesWatermarkUpTo?: unknown },
  ): Promise<void> {
    for await (const page of pages) {
      const rows: FingerprintedRow[] = page.map(({ record }) => ({
        key: String(record[scope.keyField]),
        record,
        fingerprint: rowFingerprint(record),
      }));
      const last = page[page.length - 1].position.sortValue;
      await scope.attempt.transaction(async (manager) => {
        const changes = detectChanges(
          rows,
          await SourceSyncState.fingerprints(
            manager,
            scope.tenantId,
            scope.entity,
            rows.map((row) => row.key),
          ),
        );
        await SourceSyncState.keep(manager, scope.tenantId, scope.entity, scope.runId, rows);
        if ('advancesWatermarkUpTo' in options && last !== null && last !== undefined)
          await SourceSyncState.setWatermark(manager, scope.tenantId, scope.entity, cappedWatermark(last, options.advancesWatermarkUpTo));
        const raised = options.raise ? await this.notOwn(manager, scope, changes) : [];
        await this.events.record(
          manager,
          raised.map((change) => syncEvent(scope.tenantId, scope.runId, scope.entity, scope.keyField, change)),
        );
        await this.count(manager, scope.runId, {
          rows: rows.length,
          created: raised.filter((change) => change.kind === 'created').length,
          updated: raised.filter((change) => change.kind === 'updated').length,
        });
      });
    }
  }

  /** Every remembered row this run did not see was deleted in the customer's system. */
  private async raiseDeletions(scope: EntityScope): Promise<void> {
    for (let more = true; more;) {
      more = await scope.attempt.transaction(async (manager) => {
        const vanished = await SourceSyncState.takeVanished(manager, scope.tenantId, scope.entity, scope.runId, PAGE_SIZE);
        const own = await OwnWrites.since(
          manager,
          scope.tenantId,
          scope.entity,
          vanished.map((row) => row.key),
          scope.lastRunStartedAt,
        );
        const raised = vanished.filter((row) => !own.deleted(row.key));
        await this.events.record(
          manager,
          raised.map((row) => syncDeletionEvent(scope.tenantId, scope.runId, scope.entity, row)),
        );
        await this.count(manager, scope.runId, { deleted: raised.length });
        return vanished.length === PAGE_SIZE;
      });
    }
  }

  /** The changes the API's own writes do not account for (see OwnWrites). */
  private async notOwn(manager: EntityManager, scope: EntityScope, changes: DetectedChange[]): Promise<DetectedChange[]> {
    if (changes.length === 0) return [];
    const own = await OwnWrites.since(
      manager,
      scope.tenantId,
      scope.entity,
      changes.map((change) => change.key),
      scope.lastRunStartedAt,
    );
    return changes.map((change) => own.remainder(change)).filter((change): change is DetectedChange => change !== null);
  }

  /** A run that is not a baseline always follows a successful one (the baseline's revision is recorded only on success). */
  private async lastRunStart(tenantId: string): Promise<Date> {
    const [row] = await this.dataSource.query<Array<{ started_at: Date | null }>>(
      `SELECT max(started_at) AS started_at FROM source_sync_runs WHERE tenant_id = $1 AND status = 'succeeded'`,
      [tenantId],
    );
    return row.started_at ?? new Date(0);
  }

  /** Ends the run as succeeded, unless the data source changed meanwhile (its next attempt then takes a new baseline). */
  private async finish(run: RunScope, source: OpenSyncSource): Promise<void> {
    await run.attempt.transaction(async (manager) => {
      const [current] = await manager.query<Array<{ revision: number }>>(`SELECT revision FROM tenant_data_sources WHERE tenant_id = $1`, [
        run.tenantId,
      ]);
      if (current?.revision !== source.revision)
        throw new Error('The data source changed during the run; the next attempt takes a new baseline');
      await manager.query(
        `INSERT INTO source_syncs (tenant_id, baseline_revision) VALUES ($1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET baseline_revision = EXCLUDED.baseline_revision`,
        [run.tenantId, source.revision],
      );
      await FencedAttempt.end(manager, SOURCE_SYNC_RUN_FENCE, run.runId, { status: 'succeeded', error: null, finished_at: new Date() });
    });
  }

  /** The newest `updated_at` of the entity, as the source writes it, no later than its clock now; null when no row has one. */
  private async latestUpdate(collection: MappedCollection): Promise<string | null> {
    const now = await collection.currentTime(UPDATED_AT);
    const [row] = await collection.list({
      conditions: [{ field: UPDATED_AT, op: '>=', value: ANY_TIME }],
      sort: { field: UPDATED_AT, direction: 'DESC' },
      limit: 1,
    });
    const value = row?.position.sortValue;
    return value === null || value === undefined ? null : cappedWatermark(value, now);
  }

  private async count(
    manager: EntityManager,
    runId: string,
    counts: { rows?: number; created?: number; updated?: number; deleted?: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE source_sync_runs SET rows_seen = rows_seen + $2, created = created + $3, updated = updated + $4, deleted = deleted + $5 WHERE id = $1`,
      [runId, counts.rows ?? 0, counts.created ?? 0, counts.updated ?? 0, counts.deleted ?? 0],
    );
  }
}

function watermarkText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * The watermark a value read may set: never past the source's clock at the start of the pass (`now`), so a row
 * stamped in the future (a 9999-12-31 placeholder, a writer's clock ahead) cannot hold it beyond rows changed since.
 * Such a row is read again by every run, found unchanged.
 */
function cappedWatermark(value: unknown, now: unknown): string {
  const limit = sourceTimeMillis(now);
  if (limit === undefined) return watermarkText(value);
  // A value that is no time we can place (PostgreSQL's 'infinity') is capped too.
  const at = sourceTimeMillis(value);
  return at === undefined || at > limit ? watermarkText(now) : watermarkText(value);
}
