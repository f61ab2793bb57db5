import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptSupersededError, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { retryDelayAfter } from '../../../libs/queue/retry-schedule';
import { WriteBatcher } from '../../../libs/queue/write-batcher';
import { FailingEndpoints } from './failing-endpoints';
import { DELIVERY_FENCE, DueDelivery } from './webhook-delivery-claims';
import { WebhookPostOutcome } from './webhook-sender';

/** How an attempt was recorded; `superseded` when a newer attempt owned the delivery by then (its record is the one that counts). */
export type RecordedOutcome = 'delivered' | 'retrying' | 'dead_lettered' | 'superseded';

export interface FinishedAttempt {
  attempt: FencedAttempt;
  delivery: DueDelivery;
  startedAt: Date;
  outcome: WebhookPostOutcome;
}

/** Most successful attempts recorded in one statement. */
const SUCCESSES_PER_WRITE = 200;

/**
 * Records how delivery attempts ended, fenced to each attempt. Successes, the common case, are
 * gathered while one write is in flight and recorded together in one statement (the attempt
 * logged, the delivery done, the endpoint's failure clock stopped). Failures are recorded one at a
 * time, each in its own transaction (the attempt logged, the endpoint's failure clock, and the
 * next attempt scheduled or the delivery dead), so a failing endpoint never holds more than one
 * connection.
 */
export class WebhookAttemptRecords {
  private readonly logger = new Logger(WebhookAttemptRecords.name);
  private readonly successes: WriteBatcher<FinishedAttempt, RecordedOutcome>;
  private readonly failures: WriteBatcher<FinishedAttempt, RecordedOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly failing: FailingEndpoints,
    private readonly settings: { retrySchedule: readonly number[]; disableAfterMs: number },
  ) {
    this.successes = new WriteBatcher((finished) => this.recordSuccesses(finished), SUCCESSES_PER_WRITE);
    this.failures = new WriteBatcher(async ([finished]) => [await this.recordFailure(finished)], 1);
  }

  succeeded(finished: FinishedAttempt): Promise<RecordedOutcome> {
    return this.successes.add(finished);
  }

  failed(finished: FinishedAttempt): Promise<RecordedOutcome> {
    return this.failures.add(finished);
  }

  /** Ends a delivery without an attempt (its endpoint disabled, or no attempt left): dead. */
  async ended(attempt: FencedAttempt, reason: string): Promise<RecordedOutcome> {
    try {
      await attempt.write(
        [
          `dead AS (UPDATE webhook_deliveries SET status = 'dead', finished_at = now(), lease_expires_at = NULL WHERE id IN (SELECT id FROM owned))`,
        ],
        [],
      );
    } catch (error) {
      if (error instanceof AttemptSupersededError) return 'superseded';
      throw error;
    }
    this.logger.warn(`Webhook delivery ${attempt.rowId} dead-lettered: ${reason}`);
    return 'dead_lettered';
  }

  private async recordSuccesses(finished: FinishedAttempt[]): Promise<RecordedOutcome[]> {
    const owned = new Set(
      await FencedAttempt.writeEach(
        this.dataSource,
        DELIVERY_FENCE,
        finished.map(({ attempt, delivery, startedAt, outcome }) => ({
          attempt,
          values: [delivery.endpoint_id, delivery.attempt, startedAt, outcome.durationMs, outcome.statusCode, outcome.responseExcerpt],
        })),
        [
          { name: 'endpoint_id', type: 'uuid' },
          { name: 'attempt', type: 'int' },
          { name: 'started_at', type: 'timestamptz' },
          { name: 'duration_ms', type: 'int' },
          { name: 'status_code', type: 'int' },
          { name: 'response_excerpt', type: 'text' },
        ],
        [
          `logged AS (
             INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt)
             SELECT id, attempt, started_at, duration_ms, status_code, response_excerpt FROM owned)`,
          `delivered AS (
             UPDATE webhook_deliveries d SET status = 'succeeded', finished_at = now(), lease_expires_at = NULL FROM owned WHERE d.id = owned.id)`,
          this.failing.succeededWrite(),
        ],
      ),
    );
    return finished.map(({ attempt }) => (owned.has(attempt) ? 'delivered' : 'superseded'));
  }

  private async recordFailure(finished: FinishedAttempt): Promise<RecordedOutcome> {
    try {
      return await finished.attempt.transaction((manager) => this.recordFailureIn(manager, finished), { cancellable: false });
    } catch (error) {
      if (error instanceof AttemptSupersededError) return 'superseded';
      throw error;
    }
  }

  private async recordFailureIn(manager: EntityManager, { delivery, startedAt, outcome }: FinishedAttempt): Promise<RecordedOutcome> {
    await manager.query(
      `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        delivery.id,
        delivery.attempt,
        startedAt,
        outcome.durationMs,
        outcome.statusCode,
        outcome.responseExcerpt,
        outcome.error?.slice(0, 1000) ?? null,
      ],
    );
    const disabled = await this.failing.failed(manager, delivery.endpoint_id, this.settings.disableAfterMs);
    const delay = disabled ? null : retryDelayAfter(this.settings.retrySchedule, delivery.attempt);
    if (delay === null) {
      await manager.query(`UPDATE webhook_deliveries SET status = 'dead', finished_at = now(), lease_expires_at = NULL WHERE id = $1`, [
        delivery.id,
      ]);
      this.logger.warn(`Webhook delivery ${delivery.id} dead-lettered after ${delivery.attempt} attempts: ${describe(outcome)}`);
      return 'dead_lettered';
    }
    await manager.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2), lease_expires_at = NULL WHERE id = $1`,
      [delivery.id, delay],
    );
    return 'retrying';
  }
}

function describe(outcome: WebhookPostOutcome): string {
  return outcome.error ?? `answered HTTP ${outcome.statusCode}`;
}
