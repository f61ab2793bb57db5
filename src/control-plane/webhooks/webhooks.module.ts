import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { FailingEndpoints } from './failing-endpoints';
import { PlatformWebhooksController } from './platform-webhooks.controller';
import { TenantWebhooksController } from './tenant-webhooks.controller';
import { WebhookBacklogMetrics } from './webhook-backlog-metrics';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryQueue } from './webhook-delivery-queue';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventSubscriber } from './webhook-event-subscriber';
import { WebhookLogRetention } from './webhook-log-retention';

/** Signed webhooks (Standard Webhooks) of tenants and of the platform, fed by the domain event log. */
@Module({
  imports: [AuditModule],
  controllers: [TenantWebhooksController, PlatformWebhooksController],
  providers: [
    WebhookEndpointsService,
    WebhookDeliveriesService,
    WebhookDeliveryQueue,
    WebhookEventSubscriber,
    WebhookDeliveryWorker,
    FailingEndpoints,
    WebhookLogRetention,
    WebhookBacklogMetrics,
  ],
})
export class WebhooksModule {}
