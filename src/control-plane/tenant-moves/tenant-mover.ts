import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptSupersededError, FenceTarget, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { SecretCipher } from '../../../libs/secrets';
import { untilOlderTransactionsEnd } from '../../../libs/tenancy/older-transactions';
import { OutboxSweep } from '../domain-events/outbox-sweep';
import { copyTenantRows } from '../../../libs/tenancy/tenant-copy/copy-under-freeze';
import {
  confirmedUpTo,
  currentLsn,
  detachReplication,
  initialCopyProgress,
  publishTenant,
  replicationNames,
  subscribeTenant,
  supportsLogicalReplication,
} from '../../../libs/tenancy/tenant-copy/logical-replication';
import { differingTables, rowHashes, tenantChecksums } from '../../../libs/tenancy/tenant-copy/tenant-checksums';
import { readTenantTableLayout } from '../../../libs/tenancy/tenant-tables';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { Tenant } from '../schema/tenant.entity';
import { tenantSecretScope } from '../schema/tenant-secrets';
import { TenantMove, TenantMoveStep } from '../schema/tenant-move.entity';
import { MoveCleanup } from './move-cleanup';
import { MoveEnds } from './move-ends';
import { TargetClearance } from './target-clearance';
import { TenantMoveQueue } from './tenant-move-queue';
import { freezeTenantWrites, liftTenantWriteFreeze } from '../tenant-binding/tenant-write-freeze';

/** A move is worked on while `running`; `attempt` names the attempt of its job that owns it. */
export const TENANT_MOVE_FENCE: FenceTarget = { table: 'tenant_moves', tokenColumn: 'attempt', ownedWhile: "status = 'running'" };

interface StepOutcome {
  detail: string;
  skipped?: boolean;
  /** Runs in the fenced transaction that records the step's success. */
  commit?: (manager: EntityManager) => Promise<void>;
}

type Step = (move: TenantMove, attempt: FencedAttempt) => Promise<StepOutcome>;

/** How often progress on the far end (initial copy, catch-up, running transactions) is looked at. */
const POLL_MS = 50;
/** Under the freeze, how long (and how often) the target's confirmation of the source's position is waited for before rows are compared instead. */
const CONFIRM_UNDER_FREEZE_MS = 2_000;
const CONFIRM_POLL_MS = 10;
/** How long the catch-up before the freeze waits for the target to confirm the source's position. */
const CATCH_UP_BEFORE_FREEZE_MS = 10_000;

/** Secrets of a move's target database are bound to the move until the switch re-binds them to the tenant. */
export function tenantMoveSecretScope(moveId: string): string {
  return `tenant_move:${moveId}`;
}

/**
 * Carries one tenant move through its steps. Each step is idempotent (it looks at what exists and
 * does what is missing) and records itself in the move's `steps`; an attempt skips the steps an
 * earlier attempt of the same run finished, so a killed worker's move resumes where it stopped.
 * Attempts are fenced (FencedAttempt on tenant_moves.attempt): one that was superseded, or whose
 * move was abandoned, commits nothing more.
 *
 * A step that fails ends the move `failed`: the freeze is lifted and replication detached in the
 * same breath, so the tenant keeps serving from the source; retry (which first clears the target)
 * or abandon (which removes it) is then the operator's call.
 */
@Injectable()
export class TenantMover {
  private readonly logger = new Logger(TenantMover.name);
  private readonly settings: AppConfig['tenantMoves'];
  private readonly steps: Array<[string, Step]> = [
    ['prepare', (move, attempt) => this.prepare(move, attempt)],
    ['bulk_copy', (move, attempt) => this.bulkCopy(move, attempt)],
    ['catch_up', (move, attempt) => this.catchUp(move, attempt)],
    ['freeze', (move, attempt) => this.freeze(move, attempt)],
    ['final_catch_up', (move, attempt) => this.finalCatchUp(move, attempt)],
    ['verify', (move, attempt) => this.verify(move, attempt)],
    ['switch', (move) => this.switchPlacement(move)],
  ];

  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly ends: MoveEnds,
    private readonly databases: TenantDatabaseFactory,
    private readonly clearance: TargetClearance,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
    private readonly queue: TenantMoveQueue,
    private readonly outbox: OutboxSweep,
    private readonly cleanup: MoveCleanup,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('tenantMoves', { infer: true });
  }

  /** One attempt at the move; `signal` aborts at the job's timeout. */
  async run(moveId: string, signal: AbortSignal): Promise<void> {
    const attempt = await FencedAttempt.claim(this.dataSource, TENANT_MOVE_FENCE, moveId, signal);
    if (!attempt) return;
    try {
      for (const [name, step] of this.steps) {
        const move = await this.load(moveId);
        if (finishedInThisRun(move, name)) continue;
        await this.runStep(attempt, move, name, step);
      }
      await this.detachAfterSwitch(moveId);
    } catch (error) {
      if (error instanceof AttemptSupersededError) {
        this.logger.warn(`Attempt ${attempt.token} of move ${moveId} was superseded; it stops without writing`);
        return;
      }
      // Timed out or aborted: the job is retried and the next attempt resumes. Anything else fails the move.
      if (signal.aborted) throw error;
      await this.fail(attempt, error);
    }
  }

  private async runStep(attempt: FencedAttempt, move: TenantMove, name: string, step: Step): Promise<void> {
    const started = Date.now();
    const record = (manager: EntityManager, entry: Partial<TenantMoveStep>) => recordStep(manager, move.id, attempt.token, name, entry);
    await attempt.transaction((manager) =>
      record(manager, { status: 'running', startedAt: new Date(started).toISOString(), detail: null, durationMs: null }),
    );
    let outcome: StepOutcome;
    try {
      attempt.signal.throwIfAborted();
      outcome = await step(move, attempt);
    } catch (error) {
      if (!(error instanceof AttemptSupersededError)) {
        await attempt
          .transaction(
            (manager) => record(manager, { status: 'failed', detail: messageOf(error).slice(0, 500), durationMs: Date.now() - started }),
            {
              cancellable: false,
            },
          )
          .catch(() => undefined);
      }
      throw error;
    }
    await attempt.transaction(async (manager) => {
      await outcome.commit?.(manager);
      const status = outcome.skipped ? 'skipped' : 'succeeded';
      await record(manager, { status, detail: outcome.detail.slice(0, 500), durationMs: Date.now() - started });
      await this.audit.record(manager, {
        action: `tenant.move.${name}`,
        targetType: 'tenant',
        targetId: move.tenantId,
        tenantId: move.tenantId,
        changes: { moveId: move.id, attempt: attempt.token, status, detail: outcome.detail.slice(0, 500) },
      });
    });
  }

  /** The target exists (a dedicated database carrying the tenant's ownership mark), holds none of the tenant's rows, and the copy method is chosen. */
  private async prepare(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    const target = move.target;
    const names = replicationNames(move.id);
    const source = await this.ends.connection(move.source);
    const method = await this.ends.on(move.source, async (client) =>
      (await supportsLogicalReplication(client)) ? ('logical_replication' as const) : ('copy_under_freeze' as const),
    );
    let created = '';
    if (target.placement === 'dedicated') {
      const password = this.cipher.decrypt(await this.targetPassword(move.id), tenantMoveSecretScope(move.id));
      const owner = { kind: 'tenant' as const, ownerId: move.tenantId };
      const ensured = await this.databases.ensure(
        target.databaseServerId,
        target.databaseName,
        target.databaseRole!,
        password,
        owner,
        attempt.signal,
      );
      created = `database ${target.databaseName} ready (${ensured.origin}); `;
    }
    // An earlier run's subscription would keep writing into what is about to be cleared.
    await this.ends.both(move.source, target, (sourceClient, targetClient) => detachReplication(sourceClient, targetClient, names));
    const cleared = await this.clearance.clearTenantRows(move, target);
    const why =
      method === 'logical_replication'
        ? 'source has wal_level=logical: logical replication'
        : `source server ${source.host}:${source.port} lacks wal_level=logical: copy under the write freeze (a longer freeze)`;
    return {
      detail: `${created}${cleared} leftover rows cleared; ${why}`,
      commit: async (manager) => {
        await manager.update(TenantMove, { id: move.id }, { copyMethod: method });
      },
    };
  }

  private async bulkCopy(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    if (move.copyMethod !== 'logical_replication') return { detail: 'copied under the freeze instead', skipped: true };
    const target = move.target;
    const names = replicationNames(move.id);
    const publisher = { ...(await this.ends.connection(move.source)), database: move.source.databaseName };
    return this.ends.both(move.source, target, async (source, targetClient) => {
      const { tables } = await readTenantTableLayout(source);
      await publishTenant(source, names, tables, move.tenantId);
      await subscribeTenant(targetClient, names, publisher);
      for (;;) {
        attempt.signal.throwIfAborted();
        const progress = await initialCopyProgress(targetClient, names);
        if (progress.tables === tables.length && progress.ready === progress.tables) {
          return { detail: `${tables.length} tables copied by the subscription ${names.subscription}, which now streams changes` };
        }
        await sleep(POLL_MS);
      }
    });
  }

  /** Before the freeze: lets the target catch up with the writes made during the bulk copy, so the freeze has little left to wait for. */
  private async catchUp(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    if (move.copyMethod !== 'logical_replication') return { detail: 'copied under the freeze instead', skipped: true };
    const names = replicationNames(move.id);
    return this.ends.on(move.source, async (source) => {
      const lsn = await currentLsn(source);
      const deadline = Date.now() + CATCH_UP_BEFORE_FREEZE_MS;
      while (Date.now() < deadline) {
        attempt.signal.throwIfAborted();
        if (await confirmedUpTo(source, names, lsn)) return { detail: `target confirmed the source's position ${lsn}` };
        await sleep(POLL_MS);
      }
      return {
        detail: `target had not confirmed ${lsn} after ${CATCH_UP_BEFORE_FREEZE_MS} ms; the final catch-up waits for it under the freeze`,
      };
    });
  }

  /**
   * Freezes the tenant's writes (a column of the tenant, announced by the change feed to every
   * process), then waits until every transaction on the source database that began before the
   * freeze has ended: a write admitted just before it may still be committing.
   */
  private async freeze(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    const frozenAt = await attempt.transaction((manager) => freezeTenantWrites(manager, move.tenantId));
    this.changes.tenantChanged(move.tenantId);
    const waited = await this.ends.on(move.source, async (source) =>
      untilOlderTransactionsEnd(async (text, values) => (await source.query<Record<string, unknown>>(text, values)).rows, attempt.signal),
    );
    // Events still in the source's outbox would stay behind in the old copy: relayed now, while nothing adds to it.
    const relayed = await this.outbox.relayTenant(move.tenantId);
    return {
      detail: `writes frozen at ${frozenAt.toISOString()}; ${waited} ms for transactions begun before it to end; ${relayed} pending events relayed`,
    };
  }

  private async finalCatchUp(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    const target = move.target;
    if (move.copyMethod === 'copy_under_freeze') {
      return this.ends.both(move.source, target, async (source, targetClient) => {
        const copied = await copyTenantRows(
          source,
          targetClient,
          (await readTenantTableLayout(source)).tables,
          move.tenantId,
          attempt.signal,
        );
        const total = Object.values(copied).reduce((sum, rows) => sum + rows, 0);
        return { detail: `${total} rows copied in ${Object.keys(copied).length} tables under the freeze` };
      });
    }
    // Nothing of the tenant changes at the source now: the target has caught up once it confirms the source's
    // position (cheap), or else once its rows equal the source's (a scan of every table, repeated until they do).
    const names = replicationNames(move.id);
    return this.ends.both(move.source, target, async (source, targetClient) => {
      const lsn = await currentLsn(source);
      const confirmBy = Date.now() + Math.min(CONFIRM_UNDER_FREEZE_MS, this.settings.catchUpTimeoutMs);
      while (Date.now() < confirmBy) {
        attempt.signal.throwIfAborted();
        if (await confirmedUpTo(source, names, lsn)) return { detail: `target confirmed the source's position ${lsn}` };
        await sleep(CONFIRM_POLL_MS);
      }
      const { tables } = await readTenantTableLayout(source);
      const hashes = await rowHashes(source, tables, move.tenantId);
      const deadline = Date.now() + this.settings.catchUpTimeoutMs;
      for (;;) {
        attempt.signal.throwIfAborted();
        const [expected, found] = await Promise.all([
          tenantChecksums(source, tables, move.tenantId, hashes),
          tenantChecksums(targetClient, tables, move.tenantId, hashes),
        ]);
        const behind = differingTables(expected, found);
        if (behind.length === 0) return { detail: `target matches the source in all ${tables.length} tables` };
        if (Date.now() > deadline) throw new Error(`the target did not catch up within the timeout: ${behind.join(', ')} differ`);
        await sleep(POLL_MS);
      }
    });
  }

  /** Row counts and checksums of every tenant table on both ends, recorded with the move; any difference fails it. */
  private async verify(move: TenantMove, attempt: FencedAttempt): Promise<StepOutcome> {
    const target = move.target;
    return this.ends.both(move.source, target, async (source, targetClient) => {
      attempt.signal.throwIfAborted();
      const { tables } = await readTenantTableLayout(source);
      const hashes = await rowHashes(source, tables, move.tenantId);
      const [expected, found] = await Promise.all([
        tenantChecksums(source, tables, move.tenantId, hashes),
        tenantChecksums(targetClient, tables, move.tenantId, hashes),
      ]);
      const byTable = new Map(found.map((entry) => [entry.table, entry]));
      const verified = expected.map((entry) => ({
        table: entry.table,
        sourceRows: entry.rows,
        targetRows: byTable.get(entry.table)?.rows ?? 0,
        sourceChecksum: entry.checksum,
        targetChecksum: byTable.get(entry.table)?.checksum ?? '',
      }));
      // Recorded even when they differ (the move then fails): what was compared is what an operator needs to see.
      await attempt.transaction((manager) => manager.update(TenantMove, { id: move.id }, { tables: verified }));
      const differing = differingTables(expected, found);
      if (differing.length > 0) throw new Error(`verification failed: ${differing.join(', ')} differ between source and target`);
      const rows = expected.reduce((sum, entry) => sum + entry.rows, 0);
      return { detail: `${tables.length} tables, ${rows} rows: counts and checksums equal` };
    });
  }

  /**
   * Drops the replication once the tenant lives on the target, outside the freeze (it took a good part of it): nothing of the
   * tenant changes at the source any more, so nothing streams. Should this fail or the process die, the backstop job the
   * switch scheduled does it, and the old copy's removal does it before anything else.
   */
  private async detachAfterSwitch(moveId: string): Promise<void> {
    await this.cleanup.detach(moveId).catch((error: unknown) => {
      this.logger.warn(`Move ${moveId} completed; its replication is dropped later by its backstop job: ${messageOf(error)}`);
    });
  }

  /**
   * One control-plane transaction: the tenant's placement points at the target, the freeze ends,
   * the move completes and the removal of the old copy is scheduled. The change feed then drops
   * every process's cached record and the old DataSources.
   */
  private async switchPlacement(move: TenantMove): Promise<StepOutcome> {
    const target = move.target;
    const password =
      target.placement === 'dedicated' ? this.cipher.decrypt(await this.targetPassword(move.id), tenantMoveSecretScope(move.id)) : null;
    return {
      detail: `now ${target.placement} in ${target.databaseName}`,
      commit: async (manager) => {
        const freezeMs = await liftTenantWriteFreeze(manager, move.tenantId);
        await manager.update(
          Tenant,
          { id: move.tenantId },
          {
            placement: target.placement,
            tenantPoolId: target.tenantPoolId,
            databaseServerId: target.placement === 'dedicated' ? target.databaseServerId : null,
            databaseName: target.placement === 'dedicated' ? target.databaseName : null,
            databaseRole: target.placement === 'dedicated' ? target.databaseRole : null,
            databasePasswordEncrypted: password === null ? null : this.cipher.encrypt(password, tenantSecretScope(move.tenantId)),
          },
        );
        const retainSourceUntil = new Date(Date.now() + this.settings.retentionSeconds * 1000);
        await manager.update(TenantMove, { id: move.id }, { status: 'completed', freezeMs, retainSourceUntil, finishedAt: new Date() });
        await this.queue.enqueueOldCopyRemoval(manager, { moveId: move.id }, retainSourceUntil);
        if (move.copyMethod === 'logical_replication') await this.queue.enqueueDetachBackstop(manager, move.id);
        await this.audit.record(manager, {
          action: 'tenant.move.complete',
          targetType: 'tenant',
          targetId: move.tenantId,
          tenantId: move.tenantId,
          changes: {
            moveId: move.id,
            placement: { from: move.source.placement, to: target.placement },
            database: { from: move.source.databaseName, to: target.databaseName },
            freezeMs,
          },
        });
      },
    };
  }

  /**
   * The move's job ran out of retries (every attempt crashed or timed out): the move ends `failed`
   * and the freeze is lifted, superseding whatever attempt may still be winding down.
   */
  async giveUp(moveId: string): Promise<void> {
    const move = await this.dataSource.transaction(async (manager) => {
      const reason = 'every attempt of the move’s job crashed or timed out (TENANT_MOVE_JOB_TIMEOUT_SECONDS)';
      if (!(await FencedAttempt.end(manager, TENANT_MOVE_FENCE, moveId, { status: 'failed', failure_reason: reason }))) return null;
      const move = await manager.findOneByOrFail(TenantMove, { id: moveId });
      await liftTenantWriteFreeze(manager, move.tenantId);
      await this.audit.record(manager, {
        action: 'tenant.move.failed',
        targetType: 'tenant',
        targetId: move.tenantId,
        tenantId: move.tenantId,
        changes: { moveId, reason },
      });
      return move;
    });
    if (move) this.changes.tenantChanged(move.tenantId);
  }

  /** Ends the move `failed` under this attempt's fence, the freeze lifted in the same transaction; replication is detached after. */
  private async fail(attempt: FencedAttempt, error: unknown): Promise<void> {
    const reason = messageOf(error).slice(0, 500);
    const move = await this.load(attempt.rowId);
    await attempt.transaction(
      async (manager) => {
        await manager.update(TenantMove, { id: move.id }, { status: 'failed', failureReason: reason });
        await liftTenantWriteFreeze(manager, move.tenantId);
        await this.audit.record(manager, {
          action: 'tenant.move.failed',
          targetType: 'tenant',
          targetId: move.tenantId,
          tenantId: move.tenantId,
          changes: { moveId: move.id, reason },
        });
      },
      { cancellable: false },
    );
    this.changes.tenantChanged(move.tenantId);
    this.logger.warn(`Move ${move.id} of tenant ${move.tenantId} failed; the tenant stays where it was: ${reason}`);
    if (move.copyMethod === 'logical_replication') {
      await this.ends
        .both(move.source, move.target, (source, target) => detachReplication(source, target, replicationNames(move.id)))
        .catch((detachError: Error) =>
          this.logger.warn(`Detaching the failed move ${move.id}'s replication failed: ${detachError.message}`),
        );
    }
  }

  private async load(moveId: string): Promise<TenantMove> {
    return this.dataSource.getRepository(TenantMove).findOneByOrFail({ id: moveId });
  }

  private async targetPassword(moveId: string): Promise<string> {
    const { targetPasswordEncrypted } = await this.dataSource
      .getRepository(TenantMove)
      .createQueryBuilder('move')
      .addSelect('move.targetPasswordEncrypted')
      .where('move.id = :id', { id: moveId })
      .getOneOrFail();
    if (!targetPasswordEncrypted) throw new Error(`move ${moveId} has no target credentials`);
    return targetPasswordEncrypted;
  }
}

/** A step finished (or was skipped) by an attempt of the current run: later than the attempt a retry started from. */
function finishedInThisRun(move: TenantMove, name: string): boolean {
  return move.steps.some(
    (step) =>
      step.step === name && step.attempt > move.runStartedAfterAttempt && (step.status === 'succeeded' || step.status === 'skipped'),
  );
}

async function recordStep(
  manager: EntityManager,
  moveId: string,
  attempt: number,
  name: string,
  entry: Partial<TenantMoveStep>,
): Promise<void> {
  const move = await manager.findOneByOrFail(TenantMove, { id: moveId });
  const steps = [...move.steps];
  const index = steps.findIndex((step) => step.step === name && step.attempt === attempt);
  const current: TenantMoveStep =
    index >= 0
      ? steps[index]
      : { step: name, attempt, status: 'running', detail: null, startedAt: new Date().toISOString(), durationMs: null };
  const next = { ...current, ...entry };
  if (index >= 0) steps[index] = next;
  else steps.push(next);
  await manager.update(TenantMove, { id: moveId }, { steps });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
