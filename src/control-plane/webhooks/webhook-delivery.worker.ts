import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptSupersededError, ClaimRead, FenceTarget, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { JobQueue } from '../../../libs/queue/job-queue';
import { retryDelayAfter } from '../../../libs/queue/retry-schedule';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../../platform/config/app-config';
import { AppMetrics } from '../../platform/metrics/app-metrics';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { FailingEndpoints } from './failing-endpoints';
import { WEBHOOK_QUEUE, WebhookDeliveryQueue, WebhookJob } from './webhook-delivery-queue';
import { isSuccess, postWebhook, ReceiverConnections, WebhookPostOutcome } from './webhook-sender';
import { previousWebhookSecretScope, signedHeaders, webhookSecretScope } from './webhook-signing';

const FENCE: FenceTarget = { table: 'webhook_deliveries', tokenColumn: 'attempt_token', ownedWhile: "status = 'pending'" };

/** How often idle workers look for due deliveries (pg-boss's shortest interval). */
const POLLING_INTERVAL_SECONDS = 0.5;
/**
 * Deliveries a worker takes at a time and makes side by side: one queue fetch and one completion per
 * batch rather than per delivery. Small, because a worker takes its next batch only once the slowest
 * delivery of the last one has ended: a hanging endpoint holds at most WEBHOOK_ENDPOINT_CONCURRENCY
 * workers, each with a few deliveries beside it that were made at once but whose slots wait.
 */
const DELIVERIES_PER_FETCH = 4;

/**
 * A due delivery is claimed and read with its endpoint in one statement. The body is the stored
 * payload as PostgreSQL prints it: signed and sent as it is, never parsed and serialised again.
 */
const CLAIM_DUE_DELIVERY: ClaimRead = {
  where: "next_attempt_at <= now() + interval '1 second'",
  select: `claimed.endpoint_id, claimed.event_id, claimed.payload::text AS body, claimed.attempts,
           e.url, e.enabled, e.secret_encrypted, e.previous_secret_encrypted,
           COALESCE(e.previous_secret_expires_at > now(), false) AS previous_secret_valid`,
  join: 'JOIN webhook_endpoints e ON e.id = claimed.endpoint_id',
};

interface DueDelivery {
  endpoint_id: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  enabled: boolean;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_valid: boolean;
}

type Outcome = 'delivered' | 'retrying' | 'dead_lettered';

/**
 * Makes delivery attempts (unless QUEUE_WORKER=false or WEBHOOK_DELIVERY_CONCURRENCY=0). Each job
 * is one attempt of one delivery, fenced on the delivery row: a process killed mid-attempt leaves
 * its job to expire and run again (the same `webhook-id`, so the receiver can de-duplicate), and an
 * expired attempt that still finishes records nothing over its successor. A failed attempt records
 * itself and schedules the next on the retry schedule in one transaction; after the last it
 * dead-letters the delivery.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly settings: AppConfig['webhooks'];
  private readonly connections = new ReceiverConnections();

  constructor(
    // The workers' own pool: a backlog of deliveries never keeps the API's requests waiting for a control-plane connection.
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly deliveries: WebhookDeliveryQueue,
    private readonly cipher: SecretCipher,
    private readonly failing: FailingEndpoints,
    private readonly metrics: AppMetrics,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('webhooks', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true }) || this.settings.deliveryConcurrency === 0) return;
    await this.queue.work<WebhookJob>(
      WEBHOOK_QUEUE,
      POLLING_INTERVAL_SECONDS,
      (job, signal) => this.attempt(job.data.deliveryId, signal),
      this.settings.deliveryConcurrency,
      { groupConcurrency: this.settings.endpointConcurrency, batchSize: DELIVERIES_PER_FETCH },
    );
  }

  onApplicationShutdown(): void {
    this.connections.close();
  }

  async attempt(deliveryId: string, signal: AbortSignal): Promise<void> {
    const claimed = await FencedAttempt.claimReading<DueDelivery>(this.dataSource, FENCE, deliveryId, signal, CLAIM_DUE_DELIVERY);
    // Done, or not due: a job of an attempt already made (its process died after recording it); the next one has its own job.
    if (!claimed) return;
    const { attempt: fenced, row: delivery } = claimed;
    if (!delivery.enabled) {
      await fenced.transaction(
        (manager) => manager.query(`UPDATE webhook_deliveries SET status = 'dead', finished_at = now() WHERE id = $1`, [deliveryId]),
        { cancellable: false },
      );
      return;
    }
    const { body } = delivery;
    const startedAt = new Date();
    const outcome = await postWebhook(
      { url: delivery.url, headers: { ...signedHeaders(delivery.event_id, startedAt, body, this.secretsOf(delivery)) }, body },
      this.settings,
      signal,
      this.connections,
    );
    try {
      const recorded = isSuccess(outcome)
        ? await this.recordSuccess(fenced, delivery, startedAt, outcome)
        : await fenced.transaction((manager) => this.recordFailure(manager, deliveryId, delivery, startedAt, outcome), {
            cancellable: false,
          });
      this.metrics.webhookDeliveries.labels(recorded).observe(outcome.durationMs / 1000);
    } catch (error) {
      // A newer attempt owns the delivery now (this one's job expired): its result is the one that counts.
      if (error instanceof AttemptSupersededError) return;
      throw error;
    }
  }

  /** The common case, in one fenced statement: the attempt logged, the delivery done, the endpoint's failure clock stopped. */
  private async recordSuccess(
    fenced: FencedAttempt,
    delivery: DueDelivery,
    startedAt: Date,
    outcome: WebhookPostOutcome,
  ): Promise<Outcome> {
    await fenced.write(
      [
        `attempt AS (
           INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt)
           SELECT id, $3::int, $4::timestamptz, $5::int, $6::int, $7::text FROM owned)`,
        `delivered AS (UPDATE webhook_deliveries SET status = 'succeeded', attempts = $3::int, finished_at = now() WHERE id IN (SELECT id FROM owned))`,
        this.failing.succeededWrite('$8::uuid'),
      ],
      [delivery.attempts + 1, startedAt, outcome.durationMs, outcome.statusCode, outcome.responseExcerpt, delivery.endpoint_id],
    );
    return 'delivered';
  }

  private async recordFailure(
    manager: EntityManager,
    deliveryId: string,
    delivery: DueDelivery,
    startedAt: Date,
    outcome: WebhookPostOutcome,
  ): Promise<Outcome> {
    const attempt = delivery.attempts + 1;
    await manager.query(
      `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        deliveryId,
        attempt,
        startedAt,
        outcome.durationMs,
        outcome.statusCode,
        outcome.responseExcerpt,
        outcome.error?.slice(0, 1000) ?? null,
      ],
    );
    const disabled = await this.failing.failed(manager, delivery.endpoint_id, this.settings.disableAfterMs);
    const delay = disabled ? null : retryDelayAfter(this.settings.retrySchedule, attempt);
    if (delay === null) {
      await manager.query(`UPDATE webhook_deliveries SET status = 'dead', attempts = $2, finished_at = now() WHERE id = $1`, [
        deliveryId,
        attempt,
      ]);
      this.logger.warn(`Webhook delivery ${deliveryId} dead-lettered after ${attempt} attempts: ${describe(outcome)}`);
      return 'dead_lettered';
    }
    await manager.query(`UPDATE webhook_deliveries SET attempts = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`, [
      deliveryId,
      attempt,
      delay,
    ]);
    await this.deliveries.scheduleAttempt(manager, deliveryId, delivery.endpoint_id, delay);
    return 'retrying';
  }

  /** The current secret, and during a rotation's overlap the previous one too. */
  private secretsOf(delivery: DueDelivery): string[] {
    const secrets = [this.cipher.decrypt(delivery.secret_encrypted, webhookSecretScope(delivery.endpoint_id))];
    if (delivery.previous_secret_encrypted && delivery.previous_secret_valid) {
      secrets.push(this.cipher.decrypt(delivery.previous_secret_encrypted, previousWebhookSecretScope(delivery.endpoint_id)));
    }
    return secrets;
  }
}

function describe(outcome: WebhookPostOutcome): string {
  return outcome.error ?? `answered HTTP ${outcome.statusCode}`;
}
