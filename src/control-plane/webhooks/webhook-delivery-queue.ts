import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { timeOrderedId } from '../../../libs/ids/time-ordered-id';

/**
 * The pg-boss queue that carried one job per delivery attempt before the deliveries table became
 * its own queue: removed at start, with its jobs (their deliveries are pending rows, claimed anew).
 */
const RETIRED_PG_BOSS_QUEUE = 'webhook-delivery';

/** A delivery to create: the event (its id is the `webhook-id`) and the body to POST. */
export interface NewDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: { type: string; timestamp: string; data: unknown };
  replayOf?: string;
}

/**
 * Creates deliveries in the caller's transaction, so a delivery exists exactly when the change
 * that asks for it commits. The deliveries table is the queue: a pending delivery is due from its
 * `next_attempt_at` (claimDueDeliveries), so creating one is one row and nothing else.
 */
@Injectable()
export class WebhookDeliveryQueue implements OnModuleInit {
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly queue: JobQueue) {}

  async onModuleInit(): Promise<void> {
    await this.queue.deleteQueue(RETIRED_PG_BOSS_QUEUE);
  }

  /** Returns the new deliveries' ids, in the order given. */
  async create(manager: EntityManager, deliveries: readonly NewDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    // Time-ordered: the table keeps every delivery for days, and new ones then land together at the primary key's edge
    // instead of on a random page of it each.
    const ids = deliveries.map(() => timeOrderedId());
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
    return ids;
  }

  /** `listener` is told when deliveries were created in this process (the delivery worker, to claim them at once). */
  onCreated(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** After the transaction that created `deliveries` committed: deliver them now if this process delivers. */
  wake(deliveries: number): void {
    if (deliveries > 0) for (const listener of this.listeners) listener();
  }
}

/**
 * Ends, dead, the endpoint's deliveries waiting for an attempt (due, or a retry hours away) once it is disabled: its
 * log says so at once instead of when each would have been tried. One in flight (leased) is left to its attempt, which
 * records how it ended; the claim dead-letters any that is left without trying it.
 */
export async function endWaitingDeliveries(manager: EntityManager, endpointId: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_deliveries SET status = 'dead', finished_at = now()
      WHERE endpoint_id = $1 AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= now())`,
    [endpointId],
  );
}
