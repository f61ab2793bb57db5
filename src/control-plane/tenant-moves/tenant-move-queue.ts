import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { JobHandler, JobQueue, LIVENESS_HEARTBEAT_SECONDS } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

export const TENANT_MOVE_QUEUE = 'tenant-moves';
/** Move jobs whose retries ran out (each attempt crashed or timed out): their moves end `failed`, the freeze lifted. */
export const TENANT_MOVE_DEAD_LETTERS = 'tenant-moves-failed';
/** What a completed move leaves behind: its replication (dropped soon), and the old copy (removed at the move's retention time). */
export const OLD_COPY_REMOVAL_QUEUE = 'tenant-move-old-copies';

export interface TenantMoveJob {
  moveId: string;
  /** `run`: carry the move on from its first unfinished step; `abandon`: undo what it built on the target. */
  kind: 'run' | 'abandon';
}

export interface OldCopyRemovalJob {
  moveId: string;
  /** `replication`: only the subscription, slot and publication, should the switch's own detach not have happened. */
  only?: 'replication';
}

/** When the replication left by a switch is dropped if the moving process did not get to it: after that process normally has. */
const DETACH_BACKSTOP_DELAY_MS = 60_000;

/** Retries are for crashed or timed-out attempts (a step that fails ends the move as `failed` without throwing). */
const RETRY_LIMIT = 5;
const RETRY_DELAY_SECONDS = 1;

@Injectable()
export class TenantMoveQueue implements OnModuleInit {
  private readonly settings: AppConfig['tenantMoves'];

  constructor(
    private readonly queue: JobQueue,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('tenantMoves', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    await this.queue.defineQueue(TENANT_MOVE_DEAD_LETTERS, { retryLimit: 10, retryDelay: RETRY_DELAY_SECONDS, retryBackoff: true });
    await this.queue.defineQueue(TENANT_MOVE_QUEUE, {
      retryLimit: RETRY_LIMIT,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: this.settings.jobTimeoutSeconds,
      // A move freezes the tenant's writes: a killed worker's move resumes within a minute, not at the job's timeout.
      heartbeatSeconds: LIVENESS_HEARTBEAT_SECONDS,
      deadLetter: TENANT_MOVE_DEAD_LETTERS,
    });
    await this.queue.defineQueue(OLD_COPY_REMOVAL_QUEUE, { retryLimit: 10, retryDelay: 60, retryBackoff: true, expireInSeconds: 3_600 });
  }

  /** In the caller's transaction, so the move's row and its job commit together. */
  enqueue(manager: EntityManager, job: TenantMoveJob): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), TENANT_MOVE_QUEUE, job);
  }

  enqueueOldCopyRemoval(manager: EntityManager, job: OldCopyRemovalJob, due: Date): Promise<string> {
    return this.queue.sendWithin((text, values) => manager.query(text, values), OLD_COPY_REMOVAL_QUEUE, job, { startAfter: due });
  }

  /** A backstop for the detach right after a switch: the slot would otherwise hold WAL on the source until the old copy's removal. */
  enqueueDetachBackstop(manager: EntityManager, moveId: string): Promise<string> {
    return this.enqueueOldCopyRemoval(manager, { moveId, only: 'replication' }, new Date(Date.now() + DETACH_BACKSTOP_DELAY_MS));
  }

  wake(): void {
    this.queue.wake(TENANT_MOVE_QUEUE);
  }

  async work(
    moves: JobHandler<TenantMoveJob>,
    deadLetters: JobHandler<TenantMoveJob>,
    removals: JobHandler<OldCopyRemovalJob>,
  ): Promise<void> {
    await this.queue.work(TENANT_MOVE_QUEUE, 1, moves, 2);
    await this.queue.work(TENANT_MOVE_DEAD_LETTERS, 1, deadLetters);
    await this.queue.work(OLD_COPY_REMOVAL_QUEUE, 5, removals);
  }
}
