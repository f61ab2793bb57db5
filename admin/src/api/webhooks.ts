import type { components } from '../../../packages/client';
import type { Scope } from '../session/permissions';
import { api, call } from './client';

export type WebhookEndpoint = components['schemas']['WebhookEndpointDto'];
export type NewWebhookEndpoint = components['schemas']['CreateWebhookEndpointDto'];
type UpdateWebhookEndpoint = components['schemas']['UpdateWebhookEndpointDto'];
/**
 * A PATCH body: any of the fields. The generated type requires the fields that have a default
 * (openapi-typescript's defaultNonNullable), which is right for answers but not for a change.
 */
export type WebhookEndpointChange = Partial<UpdateWebhookEndpoint>;
export type WebhookDelivery = components['schemas']['WebhookDeliveryDto'];
export type WebhookDeliveryDetail = components['schemas']['WebhookDeliveryDetailDto'];

const endpoint = (id: string) => ({ params: { path: { id } } });
const delivery = (id: string, deliveryId: string) => ({ params: { path: { id, deliveryId } } });

/**
 * A tenant's webhook endpoints (`/api/webhooks`, its own events) or the platform's (`/control/webhooks`):
 * the same routes under two roots, chosen by who is signed in.
 */
export function webhooksOf(scope: Scope) {
  const tenant = scope === 'tenant';
  return {
    list: () => call(() => (tenant ? api.GET('/api/webhooks') : api.GET('/control/webhooks'))),
    create: (body: NewWebhookEndpoint) =>
      call(() => (tenant ? api.POST('/api/webhooks', { body }) : api.POST('/control/webhooks', { body }))),
    /** Only the fields given change; enabling again clears the endpoint's failure record. */
    update: (id: string, change: WebhookEndpointChange) => {
      const body = change as UpdateWebhookEndpoint;
      return call(() =>
        tenant
          ? api.PATCH('/api/webhooks/{id}', { ...endpoint(id), body })
          : api.PATCH('/control/webhooks/{id}', { ...endpoint(id), body }),
      );
    },
    remove: (id: string) =>
      call(() => (tenant ? api.DELETE('/api/webhooks/{id}', endpoint(id)) : api.DELETE('/control/webhooks/{id}', endpoint(id)))),
    /** A new signing secret; the old one keeps signing alongside it for `overlapHours`. */
    rotateSecret: (id: string, overlapHours: number) => {
      const options = { ...endpoint(id), body: { overlapHours } };
      return call(() =>
        tenant ? api.POST('/api/webhooks/{id}/rotate-secret', options) : api.POST('/control/webhooks/{id}/rotate-secret', options),
      );
    },
    sendTest: (id: string) =>
      call(() => (tenant ? api.POST('/api/webhooks/{id}/test', endpoint(id)) : api.POST('/control/webhooks/{id}/test', endpoint(id)))),
    deliveries: (id: string, cursor?: string) => {
      const options = { params: { path: { id }, query: { limit: 20, ...(cursor ? { cursor } : {}) } } };
      return call(() =>
        tenant ? api.GET('/api/webhooks/{id}/deliveries', options) : api.GET('/control/webhooks/{id}/deliveries', options),
      );
    },
    delivery: (id: string, deliveryId: string) =>
      call(() =>
        tenant
          ? api.GET('/api/webhooks/{id}/deliveries/{deliveryId}', delivery(id, deliveryId))
          : api.GET('/control/webhooks/{id}/deliveries/{deliveryId}', delivery(id, deliveryId)),
      ),
    replay: (id: string, deliveryId: string) =>
      call(() =>
        tenant
          ? api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/replay', delivery(id, deliveryId))
          : api.POST('/control/webhooks/{id}/deliveries/{deliveryId}/replay', delivery(id, deliveryId)),
      ),
    /** Every event recorded in [since, until) the endpoint's filters match, delivered again; answers how many deliveries were queued. */
    replayRange: (id: string, since: Date, until: Date) => {
      const options = { ...endpoint(id), body: { since: since.toISOString(), until: until.toISOString() } };
      return call(() => (tenant ? api.POST('/api/webhooks/{id}/replay', options) : api.POST('/control/webhooks/{id}/replay', options)));
    },
  };
}

export type WebhooksApi = ReturnType<typeof webhooksOf>;
