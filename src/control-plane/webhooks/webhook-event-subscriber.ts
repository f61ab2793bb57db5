import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedDomainEvent } from '../domain-events/domain-event';
import { DomainEventSubscriber, DomainEventSubscribers } from '../domain-events/domain-event-subscribers';
import { ErasedSubject } from '../domain-events/erased-subject';
import { anyFilterMatches } from './event-type-filter';
import { NewDelivery, WebhookDeliveryQueue } from './webhook-delivery-queue';
import { eraseFromDeliveries } from './webhook-delivery-erasure';

interface SubscribedEndpoint {
  id: string;
  tenant_id: string | null;
  event_types: string[];
}

/**
 * Turns newly recorded domain events into deliveries, in the recording transaction: one per event
 * and enabled endpoint whose filters match it. A tenant's endpoints get that tenant's events; the
 * platform's endpoints get every event their filters match (platform events are `tenant.*`).
 */
@Injectable()
export class WebhookEventSubscriber implements DomainEventSubscriber, OnModuleInit {
  readonly name = 'webhooks';
  /**
   * Deliveries created since the last commit was told of: how many workers to wake. A hint only: one
   * of a transaction that rolled back wakes a worker for nothing later.
   */
  private deliveriesToWake = 0;

  constructor(
    private readonly subscribers: DomainEventSubscribers,
    private readonly deliveries: WebhookDeliveryQueue,
  ) {}

  onModuleInit(): void {
    this.subscribers.register(this);
  }

  async onEventsRecorded(manager: EntityManager, events: readonly RecordedDomainEvent[]): Promise<void> {
    const tenantIds = [...new Set(events.flatMap((event) => (event.tenantId ? [event.tenantId] : [])))];
    const endpoints = await manager.query<SubscribedEndpoint[]>(
      'SELECT id, tenant_id, event_types FROM webhook_endpoints WHERE enabled AND (tenant_id IS NULL OR tenant_id = ANY($1::uuid[]))',
      [tenantIds],
    );
    if (endpoints.length === 0) return;
    const deliveries: NewDelivery[] = events.flatMap((event) =>
      endpoints
        .filter(
          (endpoint) =>
            (endpoint.tenant_id === null || endpoint.tenant_id === event.tenantId) && anyFilterMatches(endpoint.event_types, event.type),
        )
        .map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          payload: { type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data },
        })),
    );
    await this.deliveries.create(manager, deliveries);
    this.deliveriesToWake += deliveries.length;
  }

  /** The tenant's deliveries (and their attempt logs) forget an erased person: a replay or a retry sends what is left. */
  onSubjectErased(manager: EntityManager, tenantId: string, subject: ErasedSubject): Promise<number> {
    return eraseFromDeliveries(manager, tenantId, subject);
  }

  /** The deliveries just committed start now in this process, not at its workers' next poll (every 0.5 s). */
  onEventsCommitted(): void {
    this.deliveries.wake(this.deliveriesToWake);
    this.deliveriesToWake = 0;
  }
}
