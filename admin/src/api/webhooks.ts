import type { components } from '../../../packages/client';
import type { Scope } from '../session/permissions';
import { api, call } from './client';

export type WebhookEndpoint = components['schemas']['WebhookEndpointDto'];
export type NewWebhookEndpoint = components['schemas']['CreateWebhookEndpointDto'];
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
    setEnabled: (hook: WebhookEndpoint, enabled: boolean) => {
      const body = { description: hook.description, enabled };
      return call(() =>
        tenant
          ? api.PATCH('/api/webhooks/{id}', { ...endpoint(hook.id), body })
          : api.PATCH('/control/webhooks/{id}', { ...endpoint(hook.id), body }),
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
  };
}
