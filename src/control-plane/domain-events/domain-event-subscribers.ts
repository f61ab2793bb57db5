import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedDomainEvent } from './domain-event';
import { ErasedSubject } from './erased-subject';

/**
 * Something that acts on events (webhook deliveries, alerts, ...). It is called inside the
 * control-plane transaction that records the events for the first time, so what it writes there
 * (a delivery row, a queued job) commits with the event or not at all; an event relayed twice
 * reaches no subscriber the second time.
 */
export interface DomainEventSubscriber {
  readonly name: string;
  onEventsRecorded(manager: EntityManager, events: readonly RecordedDomainEvent[]): Promise<void>;
  /**
   * Told, where the recorder knows it (the outbox relay), that the transaction which recorded the
   * events has committed: to start at once what was queued there rather than at the next poll.
   */
  onEventsCommitted?(events: readonly RecordedDomainEvent[]): void;
  /**
   * A person was erased from the tenant's data: remove them from the copies of the tenant's events
   * this subscriber keeps (e.g. webhook payloads and logs), in `manager`'s transaction; returns how
   * many of its rows changed.
   */
  onSubjectErased?(manager: EntityManager, tenantId: string, subject: ErasedSubject): Promise<number>;
}

/** Where subscribers register themselves, from their module's `onModuleInit`. */
@Injectable()
export class DomainEventSubscribers {
  private readonly subscribers: DomainEventSubscriber[] = [];

  register(subscriber: DomainEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async notify(manager: EntityManager, events: readonly RecordedDomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const subscriber of this.subscribers) await subscriber.onEventsRecorded(manager, events);
  }

  /** Every subscriber that keeps copies of events erases the subject from them; how many rows changed, by subscriber. */
  async erase(manager: EntityManager, tenantId: string, subject: ErasedSubject): Promise<Record<string, number>> {
    const changed: Record<string, number> = {};
    for (const subscriber of this.subscribers) {
      if (subscriber.onSubjectErased) changed[subscriber.name] = await subscriber.onSubjectErased(manager, tenantId, subject);
    }
    return changed;
  }

  /** After the transaction that recorded `events` committed. */
  committed(events: readonly RecordedDomainEvent[]): void {
    if (events.length === 0) return;
    for (const subscriber of this.subscribers) subscriber.onEventsCommitted?.(events);
  }
}
