import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { AppConfig } from '../../platform/config/app-config';

export const WEBHOOK_QUEUE = 'webhook-delivery';

export interface WebhookJob {
  deliveryId: string;
}

/** A delivery to create: the event (its id is the `webhook-id`) and the body to POST. */
export interface NewDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: { type: string; timestamp: string; data: unknown };
  replayOf?: string;
}

/** Extra seconds a job gets beyond the HTTP timeout, for its control-plane statements. */
const JOB_MARGIN_SECONDS = 5;

/**
 * Creates deliveries and their jobs in the caller's transaction, so a delivery exists exactly when
 * the change that asks for it commits. One pg-boss job per attempt, grouped by endpoint: the
 * workers' group concurrency caps the attempts in flight per endpoint. pg-boss's own retries only
 * cover a crashed or stuck attempt (the job expires); failed attempts are rescheduled by the
 * worker on the retry schedule.
 */
@Injectable()
export class WebhookDeliveryQueue implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    const { timeoutMs } = this.config.get('webhooks', { infer: true });
    await this.queue.defineQueue(WEBHOOK_QUEUE, {
      retryLimit: 10,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: Math.ceil(timeoutMs / 1000) + JOB_MARGIN_SECONDS,
    });
  }

  /** Returns the new deliveries' ids, in the order given. */
  async create(manager: EntityManager, deliveries: readonly NewDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const ids = deliveries.map(() => randomUUID());
    await manager.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, replay_of)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[], $6::uuid[])`,
      [
        ids,
        deliveries.map((delivery) => delivery.endpointId),
        deliveries.map((delivery) => delivery.eventId),
        deliveries.map((delivery) => delivery.eventType),
        deliveries.map((delivery) => JSON.stringify(delivery.payload)),
        deliveries.map((delivery) => delivery.replayOf ?? null),
      ],
    );
    await this.queue.insertWithin(
      (text, values) => manager.query(text, values),
      WEBHOOK_QUEUE,
      deliveries.map((delivery, i) => ({ data: { deliveryId: ids[i] } satisfies WebhookJob, group: { id: delivery.endpointId } })),
    );
    return ids;
  }

  /** The next attempt of a delivery, `delaySeconds` from now, in the caller's transaction. */
  async scheduleAttempt(manager: EntityManager, deliveryId: string, endpointId: string, delaySeconds: number): Promise<void> {
    await this.queue.insertWithin((text, values) => manager.query(text, values), WEBHOOK_QUEUE, [
      { data: { deliveryId } satisfies WebhookJob, group: { id: endpointId }, startAfter: delaySeconds },
    ]);
  }

  /** After the transaction that created `deliveries` committed: deliver them now if this process works the queue. */
  wake(deliveries: number): void {
    if (deliveries > 0) this.queue.wake(WEBHOOK_QUEUE, deliveries);
  }
}
