import { Global, Module } from '@nestjs/common';
import { DomainEventLog } from './domain-event-log';
import { DomainEventSubscribers } from './domain-event-subscribers';
import { EventTypeRegistry } from './event-type-registry';
import { OutboxRelay } from './outbox-relay';
import { OutboxSweep } from './outbox-sweep';
import { OutboxSweepWorker } from './outbox-sweep.worker';
import { PlatformEvents } from './platform-events';

/** The control plane's event log, the registry its subscribers join, the registry of event types, the platform's events, and the relay that fills it from the tenants' outboxes. */
@Global()
@Module({
  providers: [DomainEventLog, DomainEventSubscribers, EventTypeRegistry, PlatformEvents, OutboxRelay, OutboxSweep, OutboxSweepWorker],
  exports: [DomainEventLog, DomainEventSubscribers, EventTypeRegistry, PlatformEvents, OutboxRelay, OutboxSweep],
})
export class DomainEventsModule {}
