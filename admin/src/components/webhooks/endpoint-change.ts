import type { WebhookEndpoint, WebhookEndpointChange } from '../../api/webhooks';
import type { EndpointText } from './EndpointFields';

/**
 * Only what the person changed: the API treats a field sent as a change (enabling clears the
 * failure record, a URL is checked again), so an edit of the description must not send `enabled`.
 */
export function endpointChange(hook: WebhookEndpoint, typed: EndpointText & { enabled: boolean }): WebhookEndpointChange {
  const change: WebhookEndpointChange = {};
  if (typed.url !== hook.url) change.url = typed.url;
  if (typed.eventTypes.join(',') !== hook.eventTypes.join(',')) change.eventTypes = typed.eventTypes;
  if (typed.description !== hook.description) change.description = typed.description;
  if (typed.enabled !== hook.enabled) change.enabled = typed.enabled;
  return change;
}
