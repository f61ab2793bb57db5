import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClaimLoop } from '../../../libs/queue/claim-loop';
import { FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../../platform/config/app-config';
import { AppMetrics } from '../../platform/metrics/app-metrics';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { FailingEndpoints } from './failing-endpoints';
import { RecordedOutcome, WebhookAttemptRecords } from './webhook-attempt-records';
import { claimDueDeliveries, DueDelivery } from './webhook-delivery-claims';
import { WebhookDeliveryQueue } from './webhook-delivery-queue';
import { isSuccess, postWebhook, ReceiverConnections } from './webhook-sender';
import { previousWebhookSecretScope, signedHeaders, webhookSecretScope } from './webhook-signing';

/** How often the worker looks for due deliveries nothing woke it for: retries, and deliveries created by other processes. */
const POLLING_INTERVAL_MS = 500;
/**
 * How long the worker gathers wakes (relay commits, attempts ending during a backlog) before it
 * claims: one claim statement per interval rather than per commit, for a few milliseconds of delay.
 */
const CLAIM_GATHER_MS = 20;
/** Seconds a claimed delivery stays its attempt's beyond the HTTP timeout, for the attempt's control-plane statements. */
const LEASE_MARGIN_SECONDS = 5;

/**
 * Makes delivery attempts (unless QUEUE_WORKER=false or WEBHOOK_DELIVERY_CONCURRENCY=0): up to
 * WEBHOOK_DELIVERY_CONCURRENCY at once, claimed from the deliveries table itself in batches
 * (claimDueDeliveries), woken by the relay when new deliveries commit and polling for the rest.
 * Each attempt is fenced on its delivery row: a process killed mid-attempt leaves its delivery
 * leased until the lease ends, when another process claims it again (the same `webhook-id`, so the
 * receiver can de-duplicate), and an attempt that outlived its lease records nothing over its
 * successor. Attempts started count even when their process died: a delivery whose attempts ran
 * out that way is dead-lettered rather than tried forever.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly settings: AppConfig['webhooks'];
  private readonly connections = new ReceiverConnections();
  private readonly records: WebhookAttemptRecords;
  private loop: ClaimLoop<{ attempt: FencedAttempt; delivery: DueDelivery }> | undefined;

  constructor(
    // The workers' own pool: a backlog of deliveries never keeps the API's requests waiting for a control-plane connection.
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveryQueue,
    private readonly cipher: SecretCipher,
    failing: FailingEndpoints,
    private readonly metrics: AppMetrics,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('webhooks', { infer: true });
    this.records = new WebhookAttemptRecords(dataSource, failing, this.settings);
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('queue.worker', { infer: true }) || this.settings.deliveryConcurrency === 0) return;
    const claim = {
      endpointConcurrency: this.settings.endpointConcurrency,
      tenantConcurrency: this.settings.tenantConcurrency,
      leaseSeconds: Math.ceil(this.settings.timeoutMs / 1000) + LEASE_MARGIN_SECONDS,
    };
    this.loop = new ClaimLoop({
      concurrency: this.settings.deliveryConcurrency,
      pollingIntervalMs: POLLING_INTERVAL_MS,
      gatherMs: CLAIM_GATHER_MS,
      claim: (limit) => claimDueDeliveries(this.dataSource, { ...claim, limit }),
      work: ({ attempt, delivery }) => this.attempt(attempt, delivery),
      onError: (error) => this.logger.error(`Webhook delivery failed: ${error instanceof Error ? error.stack : String(error)}`),
    });
    this.deliveries.onCreated(() => this.loop?.wake());
    this.loop.start();
  }

  /** Lets the attempts under way end (each within the HTTP timeout) and records them. */
  async onApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
    this.connections.close();
  }

  private async attempt(attempt: FencedAttempt, delivery: DueDelivery): Promise<void> {
    if (!delivery.enabled) return this.observe(await this.records.ended(attempt, 'its endpoint is disabled'), 0);
    if (delivery.attempt > this.settings.retrySchedule.length + 1) {
      return this.observe(await this.records.ended(attempt, `no attempt left: ${delivery.attempt - 1} were started`), 0);
    }
    const { body } = delivery;
    const startedAt = new Date();
    const outcome = await postWebhook(
      { url: delivery.url, headers: { ...signedHeaders(delivery.event_id, startedAt, body, this.secretsOf(delivery)) }, body },
      this.settings,
      attempt.signal,
      this.connections,
    );
    const finished = { attempt, delivery, startedAt, outcome };
    this.observe(await (isSuccess(outcome) ? this.records.succeeded(finished) : this.records.failed(finished)), outcome.durationMs);
  }

  private observe(recorded: RecordedOutcome, durationMs: number): void {
    if (recorded !== 'superseded') this.metrics.webhookDeliveries.labels(recorded).observe(durationMs / 1000);
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
