import { Global, Module } from '@nestjs/common';
import { DomainEventLog } from './domain-event-log';
import { DomainEventSubscribers } from './domain-event-subscribers';

/** The control plane's event log and the registry its subscribers join. */
@Global()
@Module({
  providers: [DomainEventLog, DomainEventSubscribers],
  exports: [DomainEventLog, DomainEventSubscribers],
})
export class DomainEventsModule {}
