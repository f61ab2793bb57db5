import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DomainEventLog } from './domain-event-log';
import { DomainEventSubscribers } from './domain-event-subscribers';
import { EventCopiesErasure } from './event-copies-erasure';
import { EventTypeRegistry } from './event-type-registry';
import { OutboxRelay } from './outbox-relay';
import { OutboxSweep } from './outbox-sweep';
import { OutboxSweepWorker } from './outbox-sweep.worker';
import { PlatformEvents } from './platform-events';

/**
 * The control plane's event log, the registry its subscribers join, the registry of event types, the platform's events, the relay
 * that fills it from the tenants' outboxes, and the erasure of a data subject from the copies of a tenant's events.
 */
@Global()
@Module({
  imports: [AuditModule],
  providers: [
    DomainEventLog,
    DomainEventSubscribers,
    EventTypeRegistry,
    PlatformEvents,
    OutboxRelay,
    OutboxSweep,
    OutboxSweepWorker,
    EventCopiesErasure,
  ],
  exports: [DomainEventLog, DomainEventSubscribers, EventTypeRegistry, PlatformEvents, OutboxRelay, OutboxSweep, EventCopiesErasure],
})
export class DomainEventsModule {}
