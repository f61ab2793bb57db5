import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Binds an endpoint's encrypted signing secrets to its row, so they cannot be moved to another endpoint. */
export const webhookSecretScope = (endpointId: string) => `webhook-endpoint:${endpointId}`;
export const previousWebhookSecretScope = (endpointId: string) => `webhook-endpoint-previous:${endpointId}`;

/** A new signing secret in the Standard Webhooks form: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one delivery attempt: one `v1,<HMAC-SHA256>` signature per
 * secret, space-separated, so a receiver holding either the old or the new secret (during a
 * rotation's overlap) verifies it.
 */
export function signedHeaders(messageId: string, sentAt: Date, body: string, secrets: readonly string[]): WebhookHeaders {
  const timestamp = new Date(Math.floor(sentAt.getTime() / 1000) * 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' '),
  };
}
