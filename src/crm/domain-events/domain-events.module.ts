import { Global, Module } from '@nestjs/common';
import { CrmEvents } from './crm-events';
import { EventCatalogController } from './event-catalog.controller';

/** The tenant data's domain events: what every domain module raises through CrmEvents, and their catalog. */
@Global()
@Module({
  controllers: [EventCatalogController],
  providers: [CrmEvents],
  exports: [CrmEvents],
})
export class CrmDomainEventsModule {}
